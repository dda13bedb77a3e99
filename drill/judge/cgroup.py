"""Bounding a whole answer (the runner and every process it starts) with a cgroup.

Resource limits are per process: twelve processes under a 512 MB RLIMIT_AS can hold
6 GB, and kernel memory (5 million empty files in a tmpfs) counts against none of them.
A cgroup counts the whole tree, kernel memory included:
- cgroup v1 (`memory` and `pids` hierarchies, writable, typically as root): a child of
  this process's own group in each, with `memory.limit_in_bytes` (and
  `memory.memsw.limit_in_bytes`, so no swap beyond it) and `pids.max`. Since Linux 5.x a
  v1 memory group charges kernel memory (inodes, dentries) to the same counter.
- cgroup v2 (a unified mount with the `memory` and `pids` controllers): a child of this
  process's own group, or of the hierarchy's root where the own group holds processes
  (v2 lets only leaves and the root hold processes), with `memory.max`,
  `memory.swap.max` 0 and `pids.max`.
Otherwise there is no group, and the bound is the resource limits' (docs/judge-sandbox.md).

Groups are named `drill-PID.START-RANDOM` (drill.judge.boxes): a run removes those whose
owner is gone, so a check killed with SIGKILL leaves nothing for long. The runner moves
itself into the group (`Group.entry_fds`: it writes 0 to the group's `cgroup.procs`, which
drill opened for it) while it starts up, before any code of the answer runs or anything
forks: the move waits for an RCU grace period in the kernel (7-17 ms), which then overlaps
the runner's own start instead of preceding it. drill begins that wait before it spawns the
runner (`prime`) and a move of the runner's wrapper at once (`Group.hasten`), so that the
runner's own move finds the grace period passed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

from drill.judge import boxes

TYPE_CHECKING = False  # nor typing: `drill check` makes its group before anything heavy is imported
if TYPE_CHECKING:
    from collections.abc import Callable

V1 = "cgroup-v1"
V2 = "cgroup-v2"
RLIMIT = "rlimit"
PIDS_MAX = 64  # as RLIMIT_NPROC for the sandbox uid; threads count too
# bwrap and its init (or unshare) in the group besides, when Group.hasten moved the wrapper in
WRAPPER_TASKS = 2
RUNNER_BYTES = 64 << 20  # the runner itself (Python, the answer's module) beside the cases
PREFIX = "drill-"

_lock = threading.Lock()
_places: list[Place] | None = None
_swept: set[str] = set()


class Place:
    """Where groups can be made: the folders in which to create children. (A plain class,
    not a dataclass: `drill check` makes one before anything heavy is imported.)"""

    def __init__(self, kind: str, folders: tuple[str, ...], broken: bool = False) -> None:
        self.kind = kind  # V1 | V2
        self.folders = folders  # v1: (memory, pids); v2: (unified,)
        self.broken = broken

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Place) and (self.kind, self.folders, self.broken) == (
            other.kind, other.folders, other.broken)

    def __repr__(self) -> str:
        return f"Place({self.kind!r}, {self.folders!r}, broken={self.broken})"


def find_places(mountinfo: str, own: str) -> list[Place]:
    """The places a process with /proc/self/mountinfo `mountinfo` and /proc/self/cgroup
    `own` could make groups in, best first (not yet checked for permission)."""
    v1: dict[str, tuple[str, str]] = {}
    v2: tuple[str, str] | None = None
    for line in mountinfo.splitlines():
        fields = line.split()
        if "-" not in fields:
            continue
        sep = fields.index("-")
        if len(fields) < sep + 4 or sep < 5:
            continue
        fstype, options = fields[sep + 1], fields[sep + 3].split(",")
        root, point = _unescape(fields[3]), _unescape(fields[4])
        if fstype == "cgroup":
            for ctrl in ("memory", "pids"):
                if ctrl in options:
                    v1.setdefault(ctrl, (root, point))
        elif fstype == "cgroup2" and v2 is None:
            v2 = (root, point)
    paths: dict[str, str] = {}
    for line in own.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        for ctrl in parts[1].split(",") if parts[1] else [""]:
            paths.setdefault(ctrl, parts[2])
    places = []
    if "memory" in v1 and "pids" in v1 and "memory" in paths and "pids" in paths:
        mem = _inside(*v1["memory"], paths["memory"])
        pids = _inside(*v1["pids"], paths["pids"])
        if mem and pids:
            places.append(Place(V1, (mem, pids)))
    if v2 is not None:
        mine = _inside(*v2, paths[""]) if "" in paths else None
        for folder in (mine, v2[1]):
            if folder and all(p.folders != (folder,) for p in places):
                places.append(Place(V2, (folder,)))
    return places


def _inside(root: str, point: str, path: str) -> str | None:
    """The folder of cgroup `path` in a hierarchy mounted at `point` from `root`."""
    if root != "/":
        if path != root and not path.startswith(root.rstrip("/") + "/"):
            return None
        path = path[len(root.rstrip("/")):] or "/"
    return os.path.normpath(point + "/" + path.lstrip("/"))


def _unescape(field: str) -> str:
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")


def _read(path: str) -> str:
    with open(path, encoding="ascii", errors="replace") as f:
        return f.read()


def _write(path: str, value: str) -> None:
    # O_CREAT only matters off a real cgroup file system (tests): there every file exists.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        os.write(fd, value.encode())
    finally:
        os.close(fd)


def places() -> list[Place]:
    global _places
    with _lock:
        if _places is None:
            try:
                _places = find_places(_read("/proc/self/mountinfo"), _read("/proc/self/cgroup"))
            except OSError:
                _places = []
        return _places


class Group:
    """One answer's cgroup (one folder per hierarchy)."""

    def __init__(self, kind: str, folders: list[str]) -> None:
        self.kind = kind
        self.folders = folders
        self.limited = False  # memory bounded (set_memory succeeded)
        self._ooms = 0
        self._oom_fd: int | None = None  # the file oom_kills reads, kept open (read once a case)

    @property
    def memory_folder(self) -> str:
        return self.folders[0]

    def set_memory(self, limit: int) -> None:
        """Bound the group's memory (user and kernel, no swap beyond it)."""
        if self.kind == V1:
            _write(os.path.join(self.memory_folder, "memory.limit_in_bytes"), str(limit))
            with contextlib.suppress(OSError):  # absent without swap accounting
                _write(os.path.join(self.memory_folder, "memory.memsw.limit_in_bytes"), str(limit))
        else:
            _write(os.path.join(self.memory_folder, "memory.max"), str(limit))
            with contextlib.suppress(OSError):  # absent without swap
                _write(os.path.join(self.memory_folder, "memory.swap.max"), "0")
        self.limited = True
        self._ooms = self.oom_kills()

    def add(self, pid: int) -> None:
        for folder in self.folders:
            _write(os.path.join(folder, "cgroup.procs"), str(pid))

    def hasten(self, pid: int) -> None:
        """Begin moving process `pid` (the runner's wrapper, bwrap or unshare, just started)
        into the group, in a thread; best effort (a setuid bwrap is not ours to move). With
        `prime`, this keeps the kernel's wait before a move behind the runner's own move
        (the one that counts, and is checked: see entry_fds). A process the wrapper forked
        before this move completes stays outside and moves itself as before."""
        _write_aside("drill-cgroup-hasten", [os.path.join(f, "cgroup.procs") for f in self.folders], lambda: str(pid))

    def entry_fds(self) -> list[int]:
        """The group's `cgroup.procs` files, opened for writing: a process given them moves
        itself in by writing 0 to each (the runner does, see drill/judge/_runner.py). The
        caller closes them once passed on."""
        fds: list[int] = []
        try:
            for folder in self.folders:
                fds.append(os.open(os.path.join(folder, "cgroup.procs"), os.O_WRONLY | os.O_CLOEXEC))
        except OSError:
            for fd in fds:
                os.close(fd)
            raise
        return fds

    def holds(self, pid: int) -> bool:
        """Whether process `pid` is in the group, in every hierarchy."""
        try:
            return all(str(pid) in _read(os.path.join(f, "cgroup.procs")).split() for f in self.folders)
        except OSError:
            return False

    def holds_besides(self, pid: int) -> bool:
        """Whether some process other than `pid` is in the group, in every hierarchy."""
        try:
            return all(set(_read(os.path.join(f, "cgroup.procs")).split()) - {str(pid)} for f in self.folders)
        except OSError:
            return False

    def populated(self) -> bool:
        """Whether some process is in the group, in every hierarchy."""
        try:
            return all(_read(os.path.join(f, "cgroup.procs")).split() for f in self.folders)
        except OSError:
            return False

    def oom_kills(self) -> int:
        """How many processes the kernel has killed in the group for memory so far."""
        try:
            if self._oom_fd is None:
                name = "memory.oom_control" if self.kind == V1 else "memory.events"
                self._oom_fd = os.open(os.path.join(self.memory_folder, name), os.O_RDONLY | os.O_CLOEXEC)
            text = os.pread(self._oom_fd, 4096, 0).decode("ascii", "replace")
        except OSError:
            return 0
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill" and value.strip().isdigit():
                return int(value)
        return 0

    def new_oom_kills(self) -> bool:
        """Whether the kernel killed a process for memory since the last call."""
        now = self.oom_kills()
        seen, self._ooms = self._ooms, now
        return now > seen

    def peak(self) -> int | None:
        """The most memory the group has held, in bytes (where the kernel says)."""
        name = "memory.max_usage_in_bytes" if self.kind == V1 else "memory.peak"
        try:
            return int(_read(os.path.join(self.memory_folder, name)).split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def remove(self) -> None:
        """Kill anything still in the group and remove it."""
        if self._oom_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._oom_fd)
            self._oom_fd = None
        for folder in self.folders:
            _remove(folder)


def _remove(folder: str, wait: float = 2.0) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            os.rmdir(folder)
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                return  # the next run's sweep takes it
        try:
            pids = _read(os.path.join(folder, "cgroup.procs")).split()
        except OSError:
            pids = []
        for pid in pids:
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(pid), signal.SIGKILL)
        time.sleep(0.005)


def prime() -> None:
    """Begin the kernel's wait for the next move into a group now, in a thread; best effort,
    cgroup v1 only (v2's rules for a move differ; there the runner's move waits as before).

    A move waits for an RCU grace period (7-17 ms), and the kernel skips that wait for a
    move that begins within about one more grace period of the last one ending. A thread of
    drill writes its own id to the `tasks` file of the group it is in already: that moves
    nothing, but takes the lock a move takes, after the same wait. Done as the runner is
    about to be spawned, the wait overlaps the spawn, and the moves of Group.hasten and of
    the runner (some 12 ms later) find it over, instead of holding up its hello by about
    10 ms. (An id, not 0: the kernel skips the lock for "0", a thread moving itself.)"""
    place = next((p for p in places() if not p.broken), None)
    if place is not None and place.kind == V1:
        _write_aside("drill-cgroup-prime", [os.path.join(place.folders[0], "tasks")],
                     lambda: str(threading.get_native_id()))


def _write_aside(name: str, paths: list[str], value: Callable[[], str]) -> None:
    """Write `value()` (worked out in the thread) to each file in a thread: a move waits in
    the kernel. Errors are dropped: these writes only save time."""

    def write() -> None:
        with contextlib.suppress(OSError):
            for path in paths:
                _write(path, value())

    threading.Thread(target=write, name=name, daemon=True).start()


def create(pids_max: int = PIDS_MAX + WRAPPER_TASKS) -> Group | None:
    """A new group bounding PIDS_MAX tasks of the answer's (and the wrapper's few; memory
    unbounded until `set_memory`), or None where this machine or user cannot have one."""
    for place in places():
        if place.broken:
            continue
        try:
            if place.kind == V2:
                _enable_v2(place.folders[0])
            group = _make(place, pids_max)
        except OSError:
            place.broken = True  # e.g. not root: do not try again in this process
            continue
        return group
    return None


def _enable_v2(folder: str) -> None:
    controllers = _read(os.path.join(folder, "cgroup.controllers")).split()
    if "memory" not in controllers or "pids" not in controllers:
        raise OSError("the memory and pids controllers are not available here")
    enabled = _read(os.path.join(folder, "cgroup.subtree_control")).split()
    missing = [c for c in ("memory", "pids") if c not in enabled]
    if missing:
        # Fails (EBUSY) when the group holds processes and is not the root: then the
        # next place, the hierarchy's root, is tried.
        _write(os.path.join(folder, "cgroup.subtree_control"), " ".join(f"+{c}" for c in missing))


def _make(place: Place, pids_max: int) -> Group:
    name = boxes.tagged(PREFIX)
    made: list[str] = []
    try:
        for parent in place.folders:
            _sweep_stale(parent)
            folder = os.path.join(parent, name)
            os.mkdir(folder, 0o755)
            made.append(folder)
        pids_folder = made[-1]
        _write(os.path.join(pids_folder, "pids.max"), str(pids_max))
    except OSError:
        for folder in made:
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        raise
    return Group(place.kind, made)


def _sweep_stale(parent: str) -> None:
    """Remove groups in `parent` left by checks that are gone (once per process)."""
    with _lock:
        if parent in _swept:
            return
        _swept.add(parent)
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        if not name.startswith(PREFIX):
            continue
        tag = boxes._tag_of(name)
        if tag is not None and tag != boxes.owner_tag() and not boxes.owner_alive(tag):
            _remove(os.path.join(parent, name), wait=0.5)


def tree_limit(memory_mb: int, tmp_bytes: int) -> int:
    """The whole answer's memory: the question's limit, its /tmp, and the runner."""
    return (memory_mb << 20) + tmp_bytes + RUNNER_BYTES
