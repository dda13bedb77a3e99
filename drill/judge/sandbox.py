"""Starting and stopping the judge's child process, isolated as well as this machine allows.

Two modes (docs/judge-sandbox.md says what each stops and what it does not):
- "bwrap": bubblewrap namespaces (no network, own pids, read-only system folders, only
  the answer and the runner visible, a small tmpfs /tmp) and, when drill runs as root,
  an unprivileged uid via setpriv so that RLIMIT_NPROC holds.
- "rlimit": a plain child in its own session with resource limits; as root on Linux it
  runs inside `unshare --pid` so that killing it takes every descendant with it.

In both, the child is `python -I -S -B _runner.py` (run from its compiled code, `BOOT`), with
stdin from /dev/null, a minimal environment and a fresh working folder; see
drill/judge/_runner.py for what runs inside.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

from drill.errors import SandboxError
from drill.judge import boxes, cgroup

# Only what starting a runner needs is imported here (no json, pathlib, shutil, tempfile or
# dataclasses): `drill check` starts one before it has imported anything heavy.
RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_runner.py")
ML_CHILD = os.path.join(os.path.dirname(RUNNER), "_mlchild.py")  # the runner loads it from beside itself
SANDBOX_UID = 60001  # shared by all checks only where no box lock can be had (drill.judge.boxes)
SANDBOX_TMP_BYTES = 64 << 20
MODES = ("auto", "bwrap", "none")
MARK_VAR = "DRILL_JUDGE_MARK"
HELLO_SECONDS = 10.0
START_ATTEMPTS = 3  # a runner bwrap can start, but did not, is tried this often in all
_unshare_broken = False  # set once `unshare --pid` has failed here, so we stop trying


def which(name: str) -> str | None:
    """shutil.which, without importing shutil."""
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        path = os.path.join(folder or ".", name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def bwrap_path() -> str | None:
    return which("bwrap")


def resolve(requested: str) -> str:
    """The mode to try first for a `--sandbox` value; SandboxError when it cannot be had."""
    if sys.platform == "win32":
        raise SandboxError("drill check needs Linux or macOS to isolate answers: on Windows, run drill inside WSL")
    if requested not in MODES:
        raise SandboxError(f"--sandbox must be one of {', '.join(MODES)}, not '{requested}'")
    if requested == "none":
        return "rlimit"
    if bwrap_path() is None:
        if requested == "bwrap":
            raise SandboxError(
                "--sandbox bwrap: bubblewrap is not installed (bwrap is not on PATH)",
                "Install it (e.g. `apt-get install bubblewrap`) or use --sandbox none.",
            )
        return "rlimit"
    return "bwrap"


def host_pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return "none"


def python_executable() -> str:
    # The real binary, not a venv or pyenv shim: -I -S needs no site, and bwrap must bind it.
    return os.path.realpath(sys.executable)


def own_process_count() -> int | None:
    """Processes this uid runs now (Linux), since RLIMIT_NPROC counts all of them."""
    uid = os.getuid()
    try:
        names = os.listdir("/proc")
    except OSError:
        return None
    n = 0
    for name in names:
        if name.isdigit():
            with contextlib.suppress(OSError):
                n += os.stat(f"/proc/{name}").st_uid == uid
    return n


def nproc_limit(mode: str) -> int | None:
    """RLIMIT_NPROC for the child: a few dozen processes beyond what the user already has."""
    if mode == "bwrap" and os.getuid() == 0:
        return 64  # counts only the sandbox uid's processes
    if os.getuid() == 0:
        return 64  # ignored for root; the pid namespace and the clock bound a fork bomb
    count = own_process_count()
    return None if count is None else count + 64


class Child:
    """A started runner: write to `to_child`, read from `from_child`."""

    def __init__(self, proc: subprocess.Popen, mode: str, to_child: int, from_child: int, private: str,
                 workdir: str | None, marker: str, in_pid_namespace: bool, wrapped: bool = False,
                 notes: list[str] | None = None, box: boxes.Box | None = None,
                 group: cgroup.Group | None = None) -> None:
        self.proc = proc
        self.mode = mode  # "bwrap" | "rlimit"
        self.to_child = to_child
        self.from_child = from_child
        self.private = private  # parent-only folder (answer copy, child's stderr); removed by close()
        self.workdir = workdir  # the child's working folder in rlimit mode; removed by close()
        self.marker = marker
        self.in_pid_namespace = in_pid_namespace
        self.wrapped = wrapped  # the process we started is bwrap or unshare, not the runner itself
        self.notes = notes if notes is not None else []
        self.box = box  # this check's own sandbox uid (bwrap as root), held till close
        self.group = group  # bounds the whole tree (checked by `confine`)
        self.entered = False  # the runner said, in its hello, that it entered the group
        self.stray: cgroup.Group | None = None  # a group the runner is not in: removed by close()

    @property
    def bounds(self) -> str:
        """What bounds the answer's whole process tree: a cgroup, or per-process limits."""
        return self.group.kind if self.group is not None and self.group.limited else cgroup.RLIMIT

    def confine(self) -> None:
        """Check that the runner is inside its cgroup (it moved itself in, and said so in
        its hello, before any code of the answer ran or anything forked); if not, drop the
        group, and the bounds are the resource limits'."""
        if self.group is None:
            return
        # The wrapper may be inside (Group.hasten): then someone else must be too.
        inside = self.group.holds_besides(self.proc.pid) if self.wrapped else self.group.populated()
        if not (self.entered and inside):
            # Removed at close, once the wrapper that may be in it has ended.
            self.stray, self.group = self.group, None

    def begin_close(self) -> None:
        """Tell the runner to finish (end of input) without waiting; `close` completes it."""
        with contextlib.suppress(OSError):
            os.close(self.to_child)
        self.to_child = -1

    def close(self, graceful: bool = True) -> None:
        """Stop the child and everything it started, and remove its folders.

        Gracefully, the runner sees end-of-input, kills what its cases left and exits; as its
        pid namespace's init it exits only once the namespace is empty, and the wrapper
        (bwrap, unshare) only after reaping it, so waiting for the wrapper is waiting for the
        whole tree. Otherwise the runner is killed first and the wrapper left to reap it, so
        that no dead runner is orphaned to the system's init (as a zombie it would still
        count against RLIMIT_NPROC of the sandbox uid).
        """
        if self.to_child >= 0:
            with contextlib.suppress(OSError):
                os.close(self.to_child)
            self.to_child = -1
        exited = False
        if graceful:
            exited = self._wait(1.0)
        if not exited:
            if self.wrapped:
                kill_marked(self.marker, settle=True, spare=self.proc.pid)
                exited = self._wait(1.0)
            if not exited:
                with contextlib.suppress(OSError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    self.proc.kill()
                self._wait(5.0)
        with contextlib.suppress(OSError):
            os.close(self.from_child)
        if not self.in_pid_namespace or not exited:
            # Without a pid namespace, setsid() survivors are only found by their marker.
            kill_marked(self.marker, settle=True)
        for group in (self.group, self.stray):
            if group is not None:
                group.remove()
        self.group = self.stray = None
        if self.box is not None:
            self.box.release()
        boxes.remove_folder(self.private)
        if self.workdir:  # the answer's own folder in rlimit mode: whatever it left there
            import shutil

            shutil.rmtree(self.workdir, ignore_errors=True)
        boxes.sweep_once()  # folders of checks killed before they could do this

    def _wait(self, seconds: float) -> bool:
        """Whether the wrapper (and so the whole tree) ended within `seconds`.

        Popen.wait(timeout) polls with sleeps that double from 0.5 ms, so a tree that takes
        3.5 ms to end is seen at 7.5 ms; a pidfd wakes this thread as it ends."""
        if self.proc.poll() is None and hasattr(os, "pidfd_open"):
            try:
                fd = os.pidfd_open(self.proc.pid)
            except OSError:
                fd = -1  # no pidfd here: Popen.wait below
            if fd >= 0:
                import select

                try:
                    select.select([fd], [], [], seconds)
                finally:
                    os.close(fd)
                return self.proc.poll() is not None
        try:
            self.proc.wait(timeout=seconds)
            return True
        except subprocess.TimeoutExpired:
            return False

    def stderr_text(self) -> str:
        try:
            with open(os.path.join(self.private, "stderr"), encoding="utf-8", errors="replace") as f:
                return f.read().strip()
        except OSError:
            return ""


def kill_marked(marker: str, settle: bool = False, spare: int | None = None) -> None:
    """Kill processes whose environment holds our marker (but `spare`); with `settle`,
    until none is left.

    This finds descendants that left the process group with setsid(); it cannot find one
    that exec'd with a new environment. Without /proc (macOS) it does nothing.
    """
    needle = f"{MARK_VAR}={marker}".encode()
    me = os.getpid()
    deadline = time.monotonic() + 2.0
    while True:
        try:
            names = os.listdir("/proc")
        except OSError:
            return
        found = False
        for name in names:
            if not name.isdigit() or int(name) in (me, spare):
                continue
            try:
                with open(f"/proc/{name}/environ", "rb") as f:
                    env = f.read()
            except OSError:
                continue
            if needle in env.split(b"\0"):
                found = True
                with contextlib.suppress(OSError):
                    os.kill(int(name), signal.SIGKILL)
        if not found or not settle or time.monotonic() > deadline:
            return
        time.sleep(0.01)


# The runner starts from its compiled code: Python compiles a script it runs afresh on every
# start (some 15-20 ms for the runner, on the check's path), and caches only imported modules'.
# BOOT takes the code's file and the runner's name from its arguments, then runs it as __main__.
BOOT = "import marshal,sys;f=sys.argv.pop(1);__file__=sys.argv.pop(1);exec(marshal.load(open(f,'rb')))"
_runner_code: bytes | None = None


def runner_code() -> bytes | None:
    """The runner's code, marshalled for this Python: the package's own compiled file when
    it matches the source (an installed wheel has it), else compiled once per version of
    the source into the data folder's cache; None if neither can be had (the runner is then
    run from source)."""
    global _runner_code
    if _runner_code is None:
        _runner_code = _installed_code() or _cached_code()
    return _runner_code


def _installed_code() -> bytes | None:
    """The code from `__pycache__` beside the runner, checked against the source's stamp
    as the import system checks it (a file compiled for another source is not used)."""
    import marshal
    from importlib.util import MAGIC_NUMBER

    pyc = os.path.join(os.path.dirname(RUNNER), "__pycache__",
                       f"_runner.{sys.implementation.cache_tag}.pyc")
    try:
        st = os.stat(RUNNER)
        with open(pyc, "rb") as f:
            data = f.read()
    except OSError:
        return None
    stamped = (int(st.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little") + (st.st_size & 0xFFFFFFFF).to_bytes(4, "little")
    if data[:4] != MAGIC_NUMBER or data[4:8] != b"\0\0\0\0" or data[8:16] != stamped:
        return None  # another Python's, hash-based, or stale
    code = data[16:]
    try:
        return code if type(marshal.loads(code)).__name__ == "code" else None
    except (ValueError, EOFError, TypeError):
        return None


def _cached_code() -> bytes | None:
    import marshal
    import zlib

    from drill.paths import cache_file

    try:
        with open(RUNNER, "rb") as f:
            source = f.read()
    except OSError:
        return None
    cached = cache_file(f"judge-runner-{sys.hexversion:x}-{zlib.crc32(source):08x}.bin")
    try:
        with open(cached, "rb") as f:
            data = f.read()
        if type(marshal.loads(data)).__name__ == "code":  # a damaged entry is made again
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass
    try:
        data = marshal.dumps(compile(source, "runner.py", "exec", dont_inherit=True))
    except (SyntaxError, ValueError):
        return None
    with contextlib.suppress(OSError):  # a read-only data folder only costs speed
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        tmp = f"{cached}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, cached)
    return data


def _bwrap_argv(private: str, extra_paths: list[str], env: dict[str, str], uid: int = SANDBOX_UID) -> list[str]:
    argv = [bwrap_path() or "bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--die-with-parent", "--new-session", "--clearenv", "--as-pid-1"]
    made: set[str] = set()
    for d in ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"):
        if os.path.islink(d):
            argv += ["--symlink", os.readlink(d), d]
        elif os.path.isdir(d):
            argv += ["--ro-bind", d, d]
        made.add(d)
    # /tmp first: a Python or site-packages that lives under /tmp (a venv in a clone there)
    # is then bound on top of the fresh tmpfs instead of being hidden by it.
    argv += ["--size", str(SANDBOX_TMP_BYTES), "--perms", "01777", "--tmpfs", "/tmp"]
    made.add("/tmp")
    python = python_executable()
    binds = [os.path.realpath(sys.base_prefix), os.path.dirname(python), *extra_paths]
    for path in binds:
        if path == "/" or any(path == m or path.startswith(m + "/") for m in made if m != "/tmp"):
            continue
        # A Python under /root (pyenv) needs its parent folders to exist, world-readable.
        parts = [p for p in path.split("/") if p]
        for i in range(1, len(parts)):
            parent = "/" + "/".join(parts[:i])
            if parent not in made:
                argv += ["--perms", "0755", "--dir", parent]
                made.add(parent)
        argv += ["--ro-bind", path, path]
        made.add(path)
    bound = [p for p in binds if p != "/"]
    for secret in _secrets():
        # A bound site-packages may hold drill itself, with the built-in packs and their
        # expected values (a wheel ships them inside the package): hide them.
        if any(secret.startswith(b + "/") for b in bound) and os.path.isdir(secret):
            argv += ["--tmpfs", secret]
    argv += ["--proc", "/proc", "--dev", "/dev",
             "--dir", "/judge",
             "--ro-bind", RUNNER, "/judge/runner.py",
             "--ro-bind", ML_CHILD, "/judge/_mlchild.py",
             "--ro-bind", os.path.join(private, "answer.py"), "/judge/answer.py",
             "--chdir", "/tmp"]
    if os.path.exists(os.path.join(private, "runner.bin")):
        argv[-2:-2] = ["--ro-bind", os.path.join(private, "runner.bin"), "/judge/runner.bin"]
    for k, v in {**env, "HOME": "/tmp", "TMPDIR": "/tmp"}.items():
        argv += ["--setenv", k, v]
    if os.getuid() == 0:
        argv += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    return argv


def _secrets() -> list[str]:
    """Folders an answer must not see even when a folder around them is bound."""
    from drill.paths import builtin_questions_path, package_dir

    questions = os.path.realpath(builtin_questions_path())
    return sorted({package_dir(), questions, os.path.join(os.path.dirname(questions), "solutions")})


def _spawn(mode: str, source: str, extra_paths: list[str]) -> Child:
    box = None
    if mode == "bwrap" and os.getuid() == 0:
        try:
            box = boxes.acquire()
        except boxes.NoBox as e:
            raise SandboxBusy(str(e)) from None
    try:
        return _spawn_in(mode, source, extra_paths, box)
    except BaseException:
        if box is not None:
            box.release()
        raise


def _spawn_in(mode: str, source: str, extra_paths: list[str], box: boxes.Box | None) -> Child:
    # The group first: the kernel's wait for the moves into it (cgroup.prime) then overlaps
    # everything else here, and holds up no other change to the cgroup file system.
    group = None
    entry: list[int] = []
    with contextlib.suppress(OSError):
        group = cgroup.create()
    if group is not None:
        # The runner moves itself in, before anything of the answer runs or forks, while it
        # starts up: it is given the files to write to.
        try:
            entry = group.entry_fds()
            cgroup.prime()
        except OSError:
            group.remove()
            group = None
    try:
        return _spawn_runner(mode, source, extra_paths, box, group, entry)
    except BaseException:
        if group is not None:
            group.remove()
        raise
    finally:
        for fd in entry:
            with contextlib.suppress(OSError):
                os.close(fd)


def _spawn_runner(mode: str, source: str, extra_paths: list[str], box: boxes.Box | None,
                  group: cgroup.Group | None, entry: list[int]) -> Child:
    global _unshare_broken
    private = boxes.private_folder("drill-judge-")
    answer = os.path.join(private, "answer.py")
    with open(answer, "w", encoding="utf-8") as f:
        f.write(source)
    # The sandbox uid (60001 under bwrap as root) must be able to read the bound copy.
    os.chmod(answer, 0o644)
    code = runner_code()
    if code is not None:
        with open(os.path.join(private, "runner.bin"), "wb") as f:
            f.write(code)
        os.chmod(os.path.join(private, "runner.bin"), 0o644)
    marker = os.urandom(12).hex()
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", MARK_VAR: marker}
    python = python_executable()
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    workdir = None
    in_ns = False
    scratch = "plain"  # what the runner empties between cases: see _runner.main
    if mode == "bwrap":
        argv = _bwrap_argv(private, extra_paths, env, box.uid if box is not None else SANDBOX_UID)
        runner, answer_arg, cwd = "/judge/runner.py", "/judge/answer.py", private
        in_ns = True
        scratch = "sandbox"
        # Only the sandbox carries the marker (bwrap sets it inside): close() must be able
        # to kill the runner without killing bwrap, which then reaps it.
        env = {k: v for k, v in env.items() if k != MARK_VAR}
    else:
        workdir = boxes.private_folder("drill-work-")
        env.update(HOME=workdir, TMPDIR=workdir)
        runner, answer_arg, cwd = str(RUNNER), answer, workdir
        argv = []
        unshare = which("unshare")
        if sys.platform.startswith("linux") and os.getuid() == 0 and unshare and not _unshare_broken:
            # As root, NPROC is ignored and killpg misses setsid survivors: a pid namespace
            # whose init is the runner takes the whole tree down with it.
            argv = [unshare, "--pid", "--fork", "--kill-child"]
            in_ns = True
            # And its own mounts: the runner covers /tmp and /dev/shm with a small tmpfs
            # of its own, which it empties between cases (binding back what it still
            # reads from there, e.g. a venv in a clone under /tmp).
            argv.append("--mount")
            scratch = "mount"
    start = [runner]
    if code is not None:
        compiled = "/judge/runner.bin" if mode == "bwrap" else os.path.join(private, "runner.bin")
        start = ["-c", BOOT, compiled, runner]
    argv += [python, "-I", "-S", "-B", *start, str(in_r), str(out_w), answer_arg, host_pid_namespace(), scratch]
    argv.append(",".join(map(str, entry)))  # "" when there is no group to enter
    # Then the question's package folders: the runner puts them on its path at once (so a
    # preimport finds numpy) and, in "mount" mode, binds back those that live under /tmp.
    argv += extra_paths
    try:
        with open(os.path.join(private, "stderr"), "wb") as err:
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                pass_fds=(in_r, out_w, *entry), close_fds=True, start_new_session=True,
                env=env, cwd=cwd,
            )
    except OSError as e:
        for fd in (in_r, in_w, out_r, out_w):
            os.close(fd)
        import shutil

        shutil.rmtree(private, ignore_errors=True)
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        raise SandboxError(f"cannot start the judge process: {e.strerror or e}") from None
    for fd in (in_r, out_w):
        os.close(fd)
    if group is not None:
        group.hasten(proc.pid)
    # The group's memory is bounded once the question's limit is known (drill.judge.code).
    return Child(proc, mode, in_w, out_r, private, workdir, marker, in_ns, wrapped=mode == "bwrap" or in_ns,
                 box=box, group=group)


class Launch:
    """A runner being started: spawned at once, awaited (with fallbacks) by `ready()`.

    Spawning early lets the child's start-up overlap whatever the caller does next,
    such as loading the question.
    """

    def __init__(self, requested: str, source: str, extra_paths: list[str] | None = None) -> None:
        self.requested = requested
        self.mode = resolve(requested)
        self.source = source
        self.extra = list(extra_paths or [])
        self.notes: list[str] = []
        if requested == "auto" and self.mode == "rlimit":
            self.notes.append("bubblewrap (bwrap) is not installed: judging with resource limits only, "
                              "which does not stop an answer reading or deleting your files "
                              "(see docs/judge-sandbox.md)")
        self.child: Child | None = None
        with contextlib.suppress(SandboxBusy):  # no free box yet: `ready` tries again, then reports it
            self.child = _spawn(self.mode, source, self.extra)

    def ready(self) -> Child:
        """The runner past its hello, checked to be inside its cgroup.

        A runner bwrap fails to start falls back to rlimit (`--sandbox auto`, said in
        `notes`) or is a SandboxError (`--sandbox bwrap`) only when bwrap cannot work on
        this machine at all (drill.judge.probe); otherwise it is tried again, and then
        SandboxBusy, which the judge reports as `internal_error`.
        """
        global _unshare_broken
        failures = 0
        while True:
            child = self.child or _spawn(self.mode, self.source, self.extra)
            self.child = None
            if _await_hello(child):
                child.confine()
                child.notes = self.notes
                return child
            why = child.stderr_text().splitlines()
            reason = why[-1] if why else f"exit status {child.proc.poll()}"
            uid = (child.box.uid if child.box is not None else SANDBOX_UID) if os.getuid() == 0 else None
            child.close(graceful=False)
            if self.mode == "bwrap":
                from drill.judge import probe

                failures += 1
                verdict = probe.bwrap_works(bwrap_path() or "bwrap", python_executable(), uid)
                if verdict.works:
                    if failures < START_ATTEMPTS:
                        time.sleep(0.1 * failures)
                        continue
                    raise SandboxBusy(f"bubblewrap works here but failed to start the judge "
                                      f"{failures} times (last: {reason})")
                if self.requested == "auto":
                    self.notes.append(f"bubblewrap is installed but failed to start ({reason}) and cannot work "
                                      "on this machine: judging with resource limits only (see docs/judge-sandbox.md)")
                    self.mode = "rlimit"
                    continue
                raise SandboxError(f"--sandbox bwrap: bubblewrap failed to start: {reason}",
                                   f"It cannot work on this machine ({verdict.reason or reason}).")
            if child.in_pid_namespace and not _unshare_broken:
                _unshare_broken = True  # e.g. root in a container without CAP_SYS_ADMIN
                continue
            raise SandboxError(f"cannot start the judge process: {reason}")

    def cancel(self) -> None:
        """Stop a runner that was never used (the check failed before judging)."""
        if self.child is not None:
            self.child.close()
            self.child = None


class SandboxBusy(SandboxError):
    """The sandbox works on this machine but could not be had just now (no free box, a
    runner that did not start): the judge reports `internal_error`, never a weaker mode."""


def start(requested: str, source: str, extra_paths: list[str] | None = None) -> Child:
    """Start a runner for `source` in the best mode `requested` allows, past its hello."""
    return Launch(requested, source, extra_paths).ready()


def _await_hello(child: Child) -> bool:
    """Whether the runner said hello (and whether it entered its cgroup). Reads exactly the
    hello frame: what the runner sends next (its answer to a config drill sent early) stays
    in the pipe for the judge's channel."""
    import select

    from drill.judge._runner import parse

    deadline = time.monotonic() + HELLO_SECONDS
    buf = b""
    want = 4
    while len(buf) < want:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([child.from_child], [], [], left)[0]:
            return False
        chunk = os.read(child.from_child, want - len(buf))
        if not chunk:
            return False
        buf += chunk
        if want == 4 and len(buf) == 4:
            want += int.from_bytes(buf, "big")
            if want > 4 + 4096:
                return False
    try:
        msg = parse(buf[4:])
    except ValueError:
        return False
    if not isinstance(msg, dict) or "hello" not in msg:
        return False
    child.entered = msg.get("cgroup") is True
    return True
