"""Starting and stopping the judge's child process, isolated as well as this machine allows.

Two modes (docs/judge-sandbox.md says what each stops and what it does not):
- "bwrap": bubblewrap namespaces (no network, own pids, read-only system folders, only
  the answer and the runner visible, a small tmpfs /tmp) and, when drill runs as root,
  an unprivileged uid via setpriv so that RLIMIT_NPROC holds.
- "rlimit": a plain child in its own session with resource limits; as root on Linux it
  runs inside `unshare --pid` so that killing it takes every descendant with it.

In both, the child is `python -I -S -B _runner.py`, with stdin from /dev/null, a minimal
environment and a fresh working folder; see drill/judge/_runner.py for what runs inside.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from drill.errors import SandboxError

RUNNER = Path(__file__).with_name("_runner.py")
ML_CHILD = Path(__file__).with_name("_mlchild.py")  # the runner loads it from beside itself
SANDBOX_UID = 60001
SANDBOX_TMP_BYTES = 64 << 20
MODES = ("auto", "bwrap", "none")
MARK_VAR = "DRILL_JUDGE_MARK"
HELLO_SECONDS = 10.0
_unshare_broken = False  # set once `unshare --pid` has failed here, so we stop trying


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


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


@dataclass
class Child:
    """A started runner: write to `to_child`, read from `from_child`."""

    proc: subprocess.Popen
    mode: str  # "bwrap" | "rlimit"
    to_child: int
    from_child: int
    private: str  # parent-only folder (answer copy, child's stderr); removed by close()
    workdir: str | None  # the child's working folder in rlimit mode; removed by close()
    marker: str
    in_pid_namespace: bool
    wrapped: bool = False  # the process we started is bwrap or unshare, not the runner itself
    notes: list[str] = field(default_factory=list)

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
        shutil.rmtree(self.private, ignore_errors=True)
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _wait(self, seconds: float) -> bool:
        try:
            self.proc.wait(timeout=seconds)
            return True
        except subprocess.TimeoutExpired:
            return False

    def stderr_text(self) -> str:
        try:
            return Path(self.private, "stderr").read_text(encoding="utf-8", errors="replace").strip()
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


def _bwrap_argv(private: str, extra_paths: list[str], env: dict[str, str]) -> list[str]:
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
        parts = Path(path).parts
        for i in range(2, len(parts)):
            parent = str(Path(*parts[:i]))
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
             "--ro-bind", str(RUNNER), "/judge/runner.py",
             "--ro-bind", str(ML_CHILD), "/judge/_mlchild.py",
             "--ro-bind", os.path.join(private, "answer.py"), "/judge/answer.py",
             "--chdir", "/tmp"]
    for k, v in {**env, "HOME": "/tmp", "TMPDIR": "/tmp"}.items():
        argv += ["--setenv", k, v]
    if os.getuid() == 0:
        argv += ["setpriv", f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_UID}", "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    return argv


def _secrets() -> list[str]:
    """Folders an answer must not see even when a folder around them is bound."""
    from drill.paths import PACKAGE_DIR, builtin_questions_dir

    package = PACKAGE_DIR
    questions = builtin_questions_dir().resolve()
    return sorted({str(package), str(questions), str(questions.parent / "solutions")})


def _spawn(mode: str, source: str, extra_paths: list[str]) -> Child:
    global _unshare_broken
    private = tempfile.mkdtemp(prefix="drill-judge-")
    answer = os.path.join(private, "answer.py")
    with open(answer, "w", encoding="utf-8") as f:
        f.write(source)
    # The sandbox uid (60001 under bwrap as root) must be able to read the bound copy.
    os.chmod(answer, 0o644)
    marker = os.urandom(12).hex()
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", MARK_VAR: marker}
    python = python_executable()
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    workdir = None
    in_ns = False
    if mode == "bwrap":
        argv = _bwrap_argv(private, extra_paths, env)
        runner, answer_arg, cwd = "/judge/runner.py", "/judge/answer.py", private
        in_ns = True
        # Only the sandbox carries the marker (bwrap sets it inside): close() must be able
        # to kill the runner without killing bwrap, which then reaps it.
        env = {k: v for k, v in env.items() if k != MARK_VAR}
    else:
        workdir = tempfile.mkdtemp(prefix="drill-work-")
        env.update(HOME=workdir, TMPDIR=workdir)
        runner, answer_arg, cwd = str(RUNNER), answer, workdir
        argv = []
        unshare = shutil.which("unshare")
        if sys.platform.startswith("linux") and os.getuid() == 0 and unshare and not _unshare_broken:
            # As root, NPROC is ignored and killpg misses setsid survivors: a pid namespace
            # whose init is the runner takes the whole tree down with it.
            argv = [unshare, "--pid", "--fork", "--kill-child"]
            in_ns = True
    argv += [python, "-I", "-S", "-B", runner, str(in_r), str(out_w), answer_arg, host_pid_namespace()]
    try:
        with open(os.path.join(private, "stderr"), "wb") as err:
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                pass_fds=(in_r, out_w), close_fds=True, start_new_session=True,
                env=env, cwd=cwd,
            )
    except OSError as e:
        for fd in (in_r, in_w, out_r, out_w):
            os.close(fd)
        shutil.rmtree(private, ignore_errors=True)
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        raise SandboxError(f"cannot start the judge process: {e.strerror or e}") from None
    os.close(in_r)
    os.close(out_w)
    return Child(proc, mode, in_w, out_r, private, workdir, marker, in_ns, wrapped=mode == "bwrap" or in_ns)


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
        self.child: Child | None = _spawn(self.mode, source, self.extra)

    def ready(self) -> Child:
        """The runner past its hello. `--sandbox auto` falls back from bwrap to rlimit when
        bwrap fails to start here (and says so in `notes`); an explicit `bwrap` that fails
        is a SandboxError."""
        global _unshare_broken
        while True:
            child = self.child or _spawn(self.mode, self.source, self.extra)
            self.child = None
            if _await_hello(child):
                child.notes = self.notes
                return child
            why = child.stderr_text().splitlines()
            reason = why[-1] if why else f"exit status {child.proc.poll()}"
            child.close(graceful=False)
            if self.mode == "bwrap" and self.requested == "auto":
                self.notes.append(f"bubblewrap is installed but failed to start ({reason}): "
                                  "judging with resource limits only (see docs/judge-sandbox.md)")
                self.mode = "rlimit"
                continue
            if self.mode == "bwrap":
                raise SandboxError(f"--sandbox bwrap: bubblewrap failed to start: {reason}")
            if child.in_pid_namespace and not _unshare_broken:
                _unshare_broken = True  # e.g. root in a container without CAP_SYS_ADMIN
                continue
            raise SandboxError(f"cannot start the judge process: {reason}")

    def cancel(self) -> None:
        """Stop a runner that was never used (the check failed before judging)."""
        if self.child is not None:
            self.child.close()
            self.child = None


def start(requested: str, source: str, extra_paths: list[str] | None = None) -> Child:
    """Start a runner for `source` in the best mode `requested` allows, past its hello."""
    return Launch(requested, source, extra_paths).ready()


def _await_hello(child: Child) -> bool:
    import select

    from drill.judge._runner import parse

    deadline = time.monotonic() + HELLO_SECONDS
    buf = b""
    while len(buf) < 4 or len(buf) < 4 + int.from_bytes(buf[:4], "big"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([child.from_child], [], [], left)[0]:
            return False
        chunk = os.read(child.from_child, 4096)
        if not chunk or len(buf) > 4096:
            return False
        buf += chunk
    try:
        msg = parse(buf[4:])
    except ValueError:
        return False
    return isinstance(msg, dict) and "hello" in msg


def config_message(**cfg: object) -> bytes:
    return json.dumps(cfg).encode()
