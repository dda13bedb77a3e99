"""What a session has not yet recorded: the answer being typed and where the session is.

Each session has a folder, $DRILL_HOME/workspace/session-<id>/, holding its answers
(written every few seconds and on every run; a follow-up probe or code part k has its own
file, `NN-<uid>.part-k.<ext>`) and `state.json` (where the session is: the question, its
stage, and the finished stages' results).
A crash, a closed terminal or Ctrl-C never loses typed work, and every paused session
stays resumable (`drill start --resume [ID]`) until it is finished or discarded.
Older drills kept one paused session in `workspace/current.json`; it is moved into its
session folder the first time the workspace is read.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from drill.errors import InputError
from drill.paths import workspace_dir
from drill.strictjson import dumps

EXTENSIONS = {"code": ".py", "sql": ".sql", "model": ".py"}  # model: the last submitted answer.py


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
    submissions: int = 0
    paused_at: str | None = None  # ISO UTC time of the last save
    # The stage of the question in progress (0: the main answer; k: follow-up probe or
    # code part k) and each finished stage's result (drill.session.stages records).
    part: int = 0
    parts: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if isinstance(self.part, bool) or not isinstance(self.part, int) or not 0 <= self.part <= 1000:
            raise ValueError("'part' is not a stage number")
        if not isinstance(self.parts, list) or not all(isinstance(p, dict) for p in self.parts):
            raise ValueError("'parts' is not a list of stage results")

    @property
    def folder(self) -> Path:
        return workspace_dir() / f"session-{self.session_id}"

    def answer_path(self, index: int, kind: str, part: int = 0) -> Path:
        """The answer file of question `index`; a later stage (a follow-up probe, a code
        part) has its own, `.part-K` before the extension."""
        uid = self.uids[index].replace("/", "__")
        stage = f".part-{part}" if part else ""
        return self.folder / f"{index + 1:02d}-{uid}{stage}{EXTENSIONS.get(kind, '.md')}"

    @property
    def state_path(self) -> Path:
        return self.folder / STATE_FILE

    def save(self) -> None:
        self.paused_at = datetime.now(UTC).isoformat(timespec="seconds")
        _atomic_write(self.state_path, dumps(asdict(self), indent=1))

    def save_answer(self, index: int, kind: str, text: str, part: int = 0) -> Path:
        path = self.answer_path(index, kind, part)
        try:
            if path.exists() and path.read_text(encoding="utf-8") == text:
                return path
        except OSError:
            pass
        _atomic_write(path, text)
        return path

    def load_answer(self, index: int, kind: str, part: int = 0) -> str | None:
        path = self.answer_path(index, kind, part)
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def finish(self) -> None:
        """The session is over: it is no longer resumable (answers stay in the store and
        in its folder)."""
        with contextlib.suppress(OSError):
            self.state_path.unlink()


STATE_FILE = "state.json"


def legacy_path() -> Path:
    return workspace_dir() / "current.json"


def _read_state(path: Path) -> SessionState:
    try:
        if path.stat().st_size > 1_000_000:
            raise ValueError("too large for a session state")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
        names = {f.name for f in fields(SessionState)}
        return SessionState(**{k: v for k, v in data.items() if k in names})
    except (OSError, ValueError, TypeError) as e:
        raise InputError(f"cannot resume: {path} is unreadable ({e}); delete it to start afresh") from None


def migrate_legacy() -> None:
    """Move an older drill's `current.json` into its session's folder as `state.json`."""
    old = legacy_path()
    if not old.exists():
        return
    state = _read_state(old)
    if not state.state_path.exists():
        _atomic_write(state.state_path, old.read_text(encoding="utf-8"))
    with contextlib.suppress(OSError):
        old.unlink()


def paused() -> list[SessionState]:
    """Every session that can be resumed, the most recently paused first."""
    migrate_legacy()
    out = []
    for path in sorted(workspace_dir().glob(f"session-*/{STATE_FILE}")):
        try:
            out.append(_read_state(path))
        except InputError:
            continue  # an unreadable state is reported when it is asked for by id
    out.sort(key=lambda s: (s.paused_at or "", s.session_id), reverse=True)
    return out


def load(session_id: int) -> SessionState:
    migrate_legacy()
    path = workspace_dir() / f"session-{session_id}" / STATE_FILE
    if not path.exists():
        ids = ", ".join(str(s.session_id) for s in paused()) or "none"
        raise InputError(f"no paused session {session_id} (paused sessions: {ids})")
    state = _read_state(path)
    if state.session_id != session_id:
        raise InputError(f"cannot resume: {path} belongs to session {state.session_id}")
    return state


def discard(state: SessionState) -> None:
    """Throw a paused session away: it can no longer be resumed. Its answer files stay
    in its folder."""
    with contextlib.suppress(OSError):
        state.state_path.unlink()


def describe(state: SessionState, now: datetime | None = None) -> str:
    """'coding · question 2 of 3 · paused 5 min ago' (for pickers and warnings)."""
    return (f"{state.label} · question {state.index + 1} of {len(state.uids)} · "
            f"paused {ago(state.paused_at, now)}")


def ago(iso: str | None, now: datetime | None = None) -> str:
    if not iso:
        return "at an unknown time"
    try:
        then = datetime.fromisoformat(iso)
    except ValueError:
        return "at an unknown time"
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    secs = ((now or datetime.now(UTC)) - then).total_seconds()
    if secs < 90:
        return "just now"
    if secs < 3600:
        return f"{secs / 60:.0f} min ago"
    if secs < 48 * 3600:
        return f"{secs / 3600:.0f} h ago"
    return f"{secs / 86400:.0f} days ago"
