"""Helpers for the code judge's tests: tiny packs written to tmp_path, and a leftover check."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from drill.judge import sandbox


@functools.cache
def bwrap_works() -> bool:
    bwrap = sandbox.bwrap_path()
    if bwrap is None:
        return False
    r = subprocess.run([bwrap, "--unshare-pid", "--unshare-net", "--ro-bind", "/", "/", "true"],
                       capture_output=True, timeout=30)
    return r.returncode == 0


# "none" is the rlimit path; the bwrap variants skip cleanly where bubblewrap is missing or broken.
MODES = [
    "none",
    pytest.param("bwrap", marks=pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not usable here")),
]


def code_question(**fields: Any) -> dict:
    q = {"id": "q", "kind": "code", "round": "coding", "title": "Test question", "prompt": "Do it.",
         "function": "f", "limits": {"seconds": 1, "memory_mb": 256},
         "tests": [{"args": [[1, 2]], "expected": [1, 2]}]}
    q.update(fields)
    if "class" in fields:
        q.pop("function")
    return q


def write_pack(folder: Path, *questions: dict, pack: str = "tp") -> Path:
    path = folder / f"{pack}.yaml"
    path.write_text(yaml.safe_dump({"pack": pack, "title": "Judge tests", "format": 1,
                                    "questions": list(questions)}, sort_keys=False), encoding="utf-8")
    return path


def load(pack_path: Path, uid: str = "tp/q"):
    from drill.packs.catalog import load_catalog

    return load_catalog([pack_path]).load(uid)


class Tracker:
    """Records every runner a test starts, to prove afterwards that none of it survives."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp: Path) -> None:
        self.markers: list[str] = []
        self.folders: list[str] = []
        self.namespaced: list[bool] = []  # per runner: was it its own pid namespace's init?
        real = sandbox._spawn

        def spawn(*args: Any, **kwargs: Any):
            child = real(*args, **kwargs)
            self.markers.append(child.marker)
            self.namespaced.append(child.in_pid_namespace)
            self.folders += [p for p in (child.private, child.workdir) if p]
            return child

        monkeypatch.setattr(sandbox, "_spawn", spawn)

    def survivors(self) -> list[int]:
        if not os.path.isdir("/proc"):
            return []
        needles = [f"{sandbox.MARK_VAR}={m}".encode() for m in self.markers]
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                env = Path(f"/proc/{name}/environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if any(n in env for n in needles):
                found.append(int(name))
        return found

    def assert_clean(self) -> None:
        assert self.markers, "no runner was started"
        left = self.survivors()
        assert left == [], f"a judged answer left a process behind: {[describe(p) for p in left]}"
        assert [f for f in self.folders if os.path.exists(f)] == [], "a judge folder was left behind"


def describe(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:120].decode(errors="replace")
    except OSError:
        return f"{pid} (gone)"
    keep = [ln for ln in status if ln.startswith(("State", "PPid", "Uid", "NSpid"))]
    return f"{pid} {cmd!r} {keep}"


def processes_with(token: str) -> list[int]:
    """Processes whose command line holds `token` (a marker the answer put in argv)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if token.encode() in Path(f"/proc/{name}/cmdline").read_bytes():
                    found.append(int(name))
            except OSError:
                continue
    return [p for p in found if p != os.getpid()]


def have(cmd: str) -> bool:
    return shutil.which(cmd) is not None
