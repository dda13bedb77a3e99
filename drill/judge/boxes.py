"""What one check owns on the machine: a box (its own sandbox uid), and folders and
cgroups named for it, so that a later run can tell what a dead check left behind.

- A box is a uid for the answer (60000 + box id, as IOI isolate numbers them), held by a
  `flock` on a lock file for the check's life, so two checks running at once never share
  a uid and so never share its RLIMIT_NPROC. Locks die with their holder: a check killed
  with SIGKILL frees its box.
- Everything a check creates outside its sandbox (private folders in the temporary folder,
  cgroups) carries an owner tag: the pid of the drill process and the time it started
  (from /proc, so a reused pid is not mistaken for its owner). A leftover whose owner is
  gone is removed by the next run; another live check's never is.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import sys
import threading
import time
from functools import cache

# tempfile, shutil and random are imported where used: `drill check` starts its runner
# (which needs only a folder and a lock from here) before anything heavy is imported.

FIRST_UID = 60000
BOXES = 100  # box ids 1..BOXES, uids 60001..60100
BOX_WAIT = 5.0  # seconds to wait for a free box before the check reports internal_error
FOLDER_PREFIXES = ("drill-judge-", "drill-work-")
LEGACY_AGE = 3600.0  # an untagged folder (from an older drill) is stale after an hour

_lock = threading.Lock()
_swept = False


class NoBox(Exception):
    """Every box stayed taken for BOX_WAIT seconds."""


class Box:
    def __init__(self, id: int, uid: int, fd: int) -> None:
        self.id = id
        self.uid = uid
        self.fd = fd

    def __repr__(self) -> str:
        return f"Box(id={self.id}, uid={self.uid}, fd={self.fd})"

    def release(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)  # closing the only descriptor drops the flock
            self.fd = -1


# ------------------------------------------------------------------ owners


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot, "gone" when there is no such
    process, or None where /proc cannot tell (macOS)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except FileNotFoundError:
        # No entry: the process is gone, unless there is no /proc to ask at all.
        return "gone" if os.path.exists("/proc/self/stat") else None
    except OSError:
        return None
    # The command name may hold spaces and parentheses: fields are counted after the last ')'.
    fields = data[data.rfind(b")") + 2:].split()
    return fields[19].decode() if len(fields) > 19 else None


@cache
def owner_tag() -> str:
    """`PID.START` for this process (`PID.0` where there is no /proc)."""
    pid = os.getpid()
    start = _start_time(pid)
    return f"{pid}.{start if start not in (None, 'gone') else 0}"


def owner_alive(tag: str) -> bool:
    """Whether the process a tag names still runs; True when that cannot be told."""
    pid_text, _, start = tag.partition(".")
    if not pid_text.isdigit() or not start.isdigit():
        return True
    pid = int(pid_text)
    now = _start_time(pid)
    if now == "gone":
        return False
    if now is None or start == "0":  # no /proc: only ask whether the pid exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True
        return True
    return now == start


def _tag_of(name: str) -> str | None:
    """The owner tag in a name made by `tagged`, or None for an untagged (older) name."""
    for prefix in (*FOLDER_PREFIXES, "drill-"):
        if name.startswith(prefix):
            rest = name[len(prefix):]
            tag = rest.split("-", 1)[0]
            pid, dot, start = tag.partition(".")
            if dot and pid.isdigit() and start.isdigit():
                return tag
            return None
    return None


def tagged(prefix: str) -> str:
    """A name for something this process owns: PREFIX + owner tag + a random part."""
    return f"{prefix}{owner_tag()}-{os.urandom(4).hex()}"


def temp_root() -> str:
    """tempfile.gettempdir(), without importing tempfile when it is not loaded yet: the
    first of $TMPDIR, $TEMP, $TMP that is set (else /tmp); gettempdir takes the first of
    them where a file can be made, so `private_folder` falls back to it when a folder
    cannot be made here."""
    if "tempfile" in sys.modules:
        return sys.modules["tempfile"].gettempdir()
    for root in (os.environ.get(v) for v in ("TMPDIR", "TEMP", "TMP")):
        if root:
            return os.path.abspath(root)
    return "/tmp"


def private_folder(prefix: str) -> str:
    """A fresh folder (mode 0700) in the temporary folder, named for its owner."""
    prefix = f"{prefix}{owner_tag()}-"
    path = os.path.join(temp_root(), prefix + os.urandom(6).hex())
    with contextlib.suppress(OSError):
        os.mkdir(path, 0o700)
        return path
    import tempfile

    return tempfile.mkdtemp(prefix=prefix)


def remove_stale_folders(root: str | None = None) -> list[str]:
    """Remove judge folders in the temporary folder that this uid owns and whose owner is
    gone (or, untagged, older than LEGACY_AGE); returns what was removed."""
    root = root or temp_root()
    removed: list[str] = []
    try:
        names = os.listdir(root)
    except OSError:
        return removed
    uid = os.getuid()
    now = time.time()
    for name in names:
        if not name.startswith(FOLDER_PREFIXES):
            continue
        path = os.path.join(root, name)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid:
            continue  # never follow a link, never touch another user's folder
        tag = _tag_of(name)
        if tag is not None:
            if tag == owner_tag() or owner_alive(tag):
                continue
        elif now - st.st_mtime < LEGACY_AGE:
            continue
        _force_remove(path)
        removed.append(path)
    return removed


def sweep_once() -> None:
    """Remove stale folders, once per process (off the critical path: after a check)."""
    global _swept
    with _lock:
        if _swept:
            return
        _swept = True
    remove_stale_folders()


def remove_folder(path: str) -> None:
    """Remove a folder drill made and filled with files itself (a check's answer copy, the
    runner's code and its stderr) without importing shutil (bz2 and lzma with it: some 2 ms
    at the end of every check); anything else found in it goes through shutil."""
    try:
        names = os.listdir(path)
    except FileNotFoundError:
        return
    except OSError:
        names = []
    for name in names:
        with contextlib.suppress(OSError):  # a folder (EISDIR, or EPERM on macOS): shutil's below
            os.unlink(os.path.join(path, name))
    try:
        os.rmdir(path)
    except FileNotFoundError:
        pass
    except OSError:
        _force_remove(path)


def _force_remove(path: str) -> None:
    import shutil

    def fix(func, p, _exc) -> None:
        # An answer may have left a folder without write permission: restore it and retry.
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(p), 0o700)
            if os.path.isdir(p) and not os.path.islink(p):
                os.chmod(p, 0o700)
                shutil.rmtree(p, ignore_errors=True)
            else:
                os.unlink(p)

    shutil.rmtree(path, onerror=fix)


# ------------------------------------------------------------------ boxes


def lock_dir(candidates: list[str] | None = None) -> str | None:
    """A folder for the box locks that only this uid can write, made if missing."""
    uid = os.getuid()

    def default():
        if uid == 0:
            yield os.path.join("/run", "drill-judge")
        import tempfile

        yield os.path.join(tempfile.gettempdir(), f"drill-boxes-{uid}")

    for path in candidates if candidates is not None else default():
        with contextlib.suppress(OSError):
            os.mkdir(path, 0o700)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        # Somebody else's folder (or a link) in a shared /tmp must not decide our locks.
        if stat.S_ISDIR(st.st_mode) and st.st_uid == uid and not st.st_mode & 0o022:
            return path
    return None


def acquire(wait: float = BOX_WAIT) -> Box | None:
    """A free box, locked for this check; None where no lock folder can be had (the
    caller then uses one shared uid). NoBox when every box stays taken for `wait` s."""
    folder = lock_dir()
    if folder is None:
        return None
    deadline = time.monotonic() + wait
    ids = list(range(1, BOXES + 1))
    while True:
        # Start at a random box: checks starting together then rarely contend.
        start = int.from_bytes(os.urandom(2), "big") % BOXES
        for box_id in ids[start:] + ids[:start]:
            try:
                fd = os.open(os.path.join(folder, f"box-{box_id}.lock"),
                             os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                os.close(fd)
                if e.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    return None
                continue
            return Box(box_id, FIRST_UID + box_id, fd)
        if time.monotonic() >= deadline:
            raise NoBox(f"all {BOXES} judge boxes are in use")
        time.sleep(0.05)
