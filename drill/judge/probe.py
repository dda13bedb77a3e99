"""Whether bubblewrap can work on this machine at all: asked only after it failed to
start a runner, and remembered.

A runner that fails to start under bwrap is either a machine that cannot run bwrap (no
user namespaces, a container without the needed privileges, no setpriv as root), or a
passing trouble (a loaded machine, a full process table). Only the first may turn
`--sandbox auto` into resource limits; the second is retried and then reported as
`internal_error`, never a silent downgrade. The probe runs a minimal sandbox of the same
shape twice; a "cannot work" answer is kept in the cache folder, keyed by bwrap's path
and mtime, the uid and the kernel, for a day (a "works" answer is not kept: the next
failure asks again, in case the machine has changed).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass

PROBE_SECONDS = 10.0
TTL = 86400.0  # seconds a remembered answer holds before it is asked again

_lock = threading.Lock()
_memo: dict[tuple, Verdict] = {}


@dataclass
class Verdict:
    works: bool
    reason: str = ""


def _key(bwrap: str) -> list:
    try:
        st = os.stat(bwrap)
        mtime = st.st_mtime_ns
    except OSError:
        mtime = None
    return [os.path.realpath(bwrap), mtime, os.getuid(), os.uname().release]


def _cache_file() -> str:
    from drill.paths import cache_dir

    return str(cache_dir() / "bwrap-probe.json")


def _load(key: list) -> Verdict | None:
    try:
        with open(_cache_file(), encoding="utf-8") as f:
            data = json.load(f)
        if data["key"] == key and time.time() - float(data["at"]) < TTL and data["works"] is False:
            return Verdict(False, str(data.get("reason", "")))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _save(key: list, verdict: Verdict) -> None:
    path = _cache_file()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"key": key, "works": verdict.works, "reason": verdict.reason[:500], "at": time.time()},
                      f, allow_nan=False)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only data folder only means probing again next time


def argv(bwrap: str, python: str, uid: int | None) -> list[str]:
    """A minimal sandbox with the namespaces and uid drop the runner gets."""
    out = [bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--die-with-parent",
           "--new-session", "--clearenv", "--as-pid-1", "--ro-bind", "/", "/", "--proc", "/proc",
           "--dev", "/dev", "--tmpfs", "/tmp"]
    if uid is not None:
        out += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
                "--bounding-set=-all", "--no-new-privs"]
    return [*out, python, "-I", "-S", "-B", "-c", "pass"]


def _run(cmd: list[str]) -> Verdict:
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=PROBE_SECONDS, start_new_session=True)
    except subprocess.TimeoutExpired:
        return Verdict(False, "bubblewrap did not finish a trivial sandbox in time")
    except OSError as e:
        return Verdict(False, e.strerror or str(e))
    if r.returncode == 0:
        return Verdict(True)
    lines = r.stderr.decode("utf-8", "replace").strip().splitlines()
    return Verdict(False, lines[-1] if lines else f"exit status {r.returncode}")


def bwrap_works(bwrap: str, python: str, uid: int | None) -> Verdict:
    """Whether a minimal sandbox starts (asked twice, a moment apart, before saying no)."""
    key = _key(bwrap)
    with _lock:
        known = _memo.get(tuple(key))
    if known is None:
        known = _load(key)
    if known is not None:
        return known
    verdict = _run(argv(bwrap, python, uid))
    if not verdict.works:
        time.sleep(0.2)
        verdict = _run(argv(bwrap, python, uid))
    if not verdict.works:
        with _lock:
            _memo[tuple(key)] = verdict
        _save(key, verdict)
    return verdict
