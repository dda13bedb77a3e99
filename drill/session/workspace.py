"""What a session has not yet recorded: the answer being typed and where the session is.

The answer is written to a file under $DRILL_HOME/workspace every few seconds and on
every run, and the session's position to `current.json`, so a crash, a closed terminal
or Ctrl-C never loses typed work, and `drill start --resume` can pick up where it stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from drill.errors import InputError
from drill.paths import workspace_dir
from drill.strictjson import dumps

EXTENSIONS = {"code": ".py", "sql": ".sql"}


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@dataclass
class SessionState:
    session_id: int
    label: str  # what the intro called the round, e.g. "coding" or "mixed"
    uids: list[str]
    budgets: list[float]  # seconds per question
    index: int = 0
    cram: bool = False
    strict: bool = False
    editor: bool = False
    packs: list[str] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    # The question in progress: seconds used so far and hints revealed.
    used: float = 0.0
    hints: int = 0

    @property
    def folder(self) -> Path:
        return workspace_dir() / f"session-{self.session_id}"

    def answer_path(self, index: int, kind: str) -> Path:
        uid = self.uids[index].replace("/", "__")
        return self.folder / f"{index + 1:02d}-{uid}{EXTENSIONS.get(kind, '.md')}"

    def save(self) -> None:
        _atomic_write(current_path(), dumps(asdict(self), indent=1))

    def save_answer(self, index: int, kind: str, text: str) -> Path:
        path = self.answer_path(index, kind)
        try:
            if path.exists() and path.read_text(encoding="utf-8") == text:
                return path
        except OSError:
            pass
        _atomic_write(path, text)
        return path

    def load_answer(self, index: int, kind: str) -> str | None:
        path = self.answer_path(index, kind)
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def finish(self) -> None:
        """The session is over: forget it (answers stay in the store)."""
        with contextlib.suppress(OSError):
            current_path().unlink()


def current_path() -> Path:
    return workspace_dir() / "current.json"


def load_current() -> SessionState:
    path = current_path()
    if not path.exists():
        raise InputError("there is no interrupted session to resume; start one with `drill start`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SessionState(**data)
    except (OSError, ValueError, TypeError) as e:
        raise InputError(f"cannot resume: {path} is unreadable ({e}); delete it to start afresh") from None


def has_current() -> bool:
    return current_path().exists()
