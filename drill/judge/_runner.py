"""The judge's child: imports an answer once, then runs each case in a fresh fork.

Started by `drill.judge.sandbox` as `python -I -S -B _runner.py IN_FD OUT_FD ANSWER HOST_PIDNS SCRATCH
[CGROUP_FDS]`. Standard library only: inside bubblewrap this file and the answer are all it can see.

Everything in this process is reachable by the answer (its import runs here), so the
parent trusts nothing it receives: it gets plain values and decides verdicts itself.
The wire codec below is also what the parent uses to decode, so both sides agree.
"""

from __future__ import annotations

import os
import sys

# The answer's cgroup, when drill made one: CGROUP_FDS are its `cgroup.procs` files, opened
# by drill, and this process moves itself in by writing 0 to each. The kernel takes some
# 10 ms over a move, so it starts here, in a thread, while the rest of this module loads
# and the runner starts up; `main` waits for it before its hello, and the answer's code runs
# (and anything forks) only after that. Every process of the answer is then inside.
_entering = None
_entered: list[bool] = []
if __name__ == "__main__" and len(sys.argv) > 6 and sys.argv[6]:
    import _thread

    def _enter_cgroup(fds: list[int]) -> None:
        try:
            for fd in fds:
                os.write(fd, b"0")
            _entered.append(True)
        except OSError:
            pass
        finally:
            for fd in fds:
                try:  # noqa: SIM105 (contextlib is not imported yet)
                    os.close(fd)
                except OSError:
                    pass
            _entering.release()  # type: ignore[union-attr]

    _entering = _thread.allocate_lock()
    _entering.acquire()
    _thread.start_new_thread(_enter_cgroup, ([int(fd) for fd in sys.argv[6].split(",")],))

# Neither json (which imports re and enum) nor contextlib (collections, functools) nor
# signal (enum): some 5 ms of the runner's start, which `drill check` waits for. The wire
# codec below drives json's C half directly; `_suppress` is contextlib.suppress.
import _signal as signal
import itertools
import math
import select
import time

try:
    import _json
except ImportError:  # a Python without it: json's pure-Python half, as json itself would use
    _json = None  # type: ignore[assignment]


class _suppress:
    """contextlib.suppress."""

    def __init__(self, *kinds: type[BaseException]) -> None:
        self.kinds = kinds

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, value, traceback) -> bool:
        return kind is not None and issubclass(kind, self.kinds)

TYPE_CHECKING = False  # typing is not imported here: the runner starts with the standard library's bare minimum
if TYPE_CHECKING:
    from typing import Any

MAX_ITEMS = 1_000_000
MAX_BYTES = 16 << 20
MAX_DEPTH = 400
MAX_INT_BITS = 13_000  # about 3,900 decimal digits
FRAME_CAP = MAX_BYTES + (1 << 20)
OUTPUT_TAIL = 600
TMP_BYTES = 64 << 20  # the tmpfs this runner mounts on /tmp and /dev/shm in "mount" mode
TMP_INODES = 16384  # and how many files each may hold (kernel memory is not free)


# ------------------------------------------------------------------ wire codec
# Strict JSON, in which lists, dicts (str keys), str, int, bool, None and finite floats are
# themselves, and one-key objects are tags: {"t": [...]} a tuple, {"f": "nan"|"inf"|"-inf"}
# a non-finite float; a dict that would read as a tag (one key, "t" or "d" holding a list,
# or "f" holding a str) is escaped as {"d": [key, value]}. Anything else is refused. So both
# directions run near json's own speed: the encoder checks containers' element types (and
# floats' finiteness) in bulk, C-side, and hands plain ones to json as they are; the
# decoder meets Python once per JSON object (json's object_hook), never per number.


class Unsendable(Exception):
    """A value that is not plain data (wrong type, cycle, too deep)."""


class TooLarge(Exception):
    """A value over the element or byte cap."""


_SCALARS = frozenset({type(None), bool, int, float, str})
_INTEGRAL = frozenset({bool, int})
_SEQUENCES = frozenset({list, tuple})
_CONTAINERS = frozenset({list, tuple, dict})
_DICTS = frozenset({dict})
_STR = frozenset({str})
_FLOAT = frozenset({float})
_TAGS = ("t", "d")
_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_INT_LIMIT = 1 << MAX_INT_BITS


def _check_ints(values: Any, types: set | frozenset) -> None:
    """Refuse ints drill's side could not read back (it parses at most 4,300 digits,
    Python's guard against quadratic parsing)."""
    if int not in types:
        return
    if types <= _INTEGRAL:
        big = max(values) >= _INT_LIMIT or min(values) <= -_INT_LIMIT  # C-side, no Python loop
    else:
        big = any(type(x) is int and x.bit_length() > MAX_INT_BITS for x in values)
    if big:
        raise Unsendable("an int with more than 3,900 digits")


def _finite(values: Any, types: set | frozenset) -> bool:
    """Whether every float among `values` is finite (json would write NaN or Infinity)."""
    if float not in types:
        return True
    floats = values if types <= _FLOAT else itertools.compress(values, map(_FLOAT.__contains__, map(type, values)))
    return all(map(math.isfinite, floats))


def _check_keys(dicts: Any) -> None:
    keys = set(map(type, itertools.chain.from_iterable(dicts)))
    if not keys <= _STR:
        raise Unsendable(f"a dict with a key of type {min(k.__name__ for k in keys - _STR)}")


def _escaped(d: dict) -> bool:
    """Whether dict `d` would read back as a tag, unless escaped."""
    if len(d) != 1:
        return False
    ((k, v),) = d.items()
    return (k in _TAGS and type(v) is list) or (k == "f" and type(v) is str)


_PLAIN = _SCALARS | {list, dict}
_SIMPLE = frozenset({type(None), bool, int, str})  # as they are on the wire (ints checked before)
_NESTED = frozenset({list, dict})
_INT = frozenset({int})
BULK = 8  # containers at least this long are first checked whole, level by level


def to_wire(value: object, convert=None) -> bytes:
    """`convert` (the child's drill/judge/_mlchild.py `convert`, for questions with `requires:`)
    turns a value of another type into plain data, or returns NotImplemented."""
    count = 0

    def enc(v: Any, depth: int) -> object:
        nonlocal count
        t = type(v)
        # Exact types only: a subclass could lie in __eq__, __float__ or __iter__.
        if t in _SCALARS:
            if t is int and v.bit_length() > MAX_INT_BITS:
                raise Unsendable("an int with more than 3,900 digits")
            if t is float and not math.isfinite(v):
                return {"f": repr(v)}
            return v
        if t not in _CONTAINERS:
            if convert is not None:
                plain = convert(v)
                if plain is not NotImplemented:
                    return enc(plain, depth + 1)
            raise Unsendable(f"a value of type {t.__name__}")
        if depth > MAX_DEPTH:
            raise Unsendable(f"a value nested more than {MAX_DEPTH} levels deep")
        if len(v) >= BULK and t is not tuple and plain_tree(v, depth):
            return v  # lists and dicts of plain values all the way down: json takes it as it is
        count += 1 + len(v)
        if count > MAX_ITEMS:
            raise TooLarge(f"more than {MAX_ITEMS:,} elements")
        if t is dict:
            _check_keys((v,))
            values = v.values()
        else:
            values = v
        types = set(map(type, values))
        _check_ints(values, types)
        out = v
        if types <= _SCALARS and _finite(values, types):
            pass
        elif depth < MAX_DEPTH and (types <= _SEQUENCES or types == _DICTS) and plain_inside(values, types):
            count += len(values)  # each inner container's own element count was added there
            if tuple in types and t is dict:
                out = {k: {"t": x} if type(x) is tuple else x for k, x in v.items()}
            elif tuple in types:
                out = [{"t": x} if type(x) is tuple else x for x in values]
        elif t is dict:
            out = {k: x if type(x) in _SIMPLE else enc(x, depth + 1) for k, x in v.items()}
        else:
            out = [x if type(x) in _SIMPLE else enc(x, depth + 1) for x in values]
        if t is tuple:
            return {"t": out}
        if t is dict and _escaped(v):
            return {"d": next(iter(out.items()))}
        return out

    def plain_inside(containers: Any, types: set) -> bool:
        """Whether these containers (all sequences, or all dicts) hold only plain values;
        counts and checks them if so (one level down, in bulk)."""
        nonlocal count
        if types == _DICTS:
            _check_keys(containers)
            if any(map(_escaped, containers)):
                return False
            inner = list(itertools.chain.from_iterable(map(dict.values, containers)))
        else:
            inner = list(itertools.chain.from_iterable(containers))
        found = set(map(type, inner))
        if not found <= _SCALARS or not _finite(inner, found):
            return False
        count += len(inner)
        if count > MAX_ITEMS:
            raise TooLarge(f"more than {MAX_ITEMS:,} elements")
        _check_ints(inner, found)
        return True

    def plain_tree(root: Any, depth: int) -> bool:
        """Whether `root` is lists and dicts of plain values all the way down, with no
        tuple, no dict that needs escaping and nothing to convert: then it goes to json
        as it is. Checked one level at a time, each in a few C-side passes; counted if so."""
        nonlocal count
        before = count
        level: list[Any] = [root]
        while level:
            if depth > MAX_DEPTH:
                break
            if len(level) == 1:
                inner: Any = list(root.values()) if type(root := level[0]) is dict else root
            else:
                inner = list(itertools.chain.from_iterable(c.values() if type(c) is dict else c for c in level))
            dicts = [c for c in level if type(c) is dict]
            if dicts:
                _check_keys(dicts)
                if any(map(_escaped, dicts)):
                    break
            count += len(level) + len(inner)
            if count > MAX_ITEMS:
                raise TooLarge(f"more than {MAX_ITEMS:,} elements")
            types = set(map(type, inner))
            if not types <= _PLAIN:
                break
            if int in types:
                _check_ints(inner if types <= _INTEGRAL else
                            list(itertools.compress(inner, map(_INT.__contains__, map(type, inner)))), _INT)
            if not _finite(inner, types):
                break
            level = list(itertools.compress(inner, map(_NESTED.__contains__, map(type, inner)))) \
                if not types.isdisjoint(_NESTED) else []
            depth += 1
        else:
            return True
        count = before
        return False

    try:
        data = _WIRE_ENCODER(enc(value, 0)).encode()
    except RecursionError:
        raise Unsendable("a value nested too deeply") from None
    except ValueError as e:  # e.g. an int too long to print
        raise Unsendable(str(e)) from None
    if len(data) > MAX_BYTES:
        raise TooLarge(f"more than {MAX_BYTES >> 20} MB serialized")
    return data


def _untag(d: dict) -> object:
    if len(d) == 1:
        ((tag, inner),) = d.items()
        if type(inner) is list and tag in _TAGS:
            if tag == "t":
                return tuple(inner)
            if len(inner) == 2 and type(inner[0]) is str:
                return {inner[0]: inner[1]}
            raise ValueError("malformed value")
        if tag == "f" and type(inner) is str:
            if inner in _NON_FINITE:
                return _NON_FINITE[inner]
            raise ValueError("malformed value")
    return d


def _not_json(name: str) -> object:
    raise ValueError(f"malformed value: {name} is not JSON")


# ------------------------------------------------------------------ json, from its C half
# json.dumps and json.loads as this module calls them, built on json's own C encoder and
# scanner (`_json`, what json uses itself) without importing json: the same output, the
# same values. A text the scanner refuses is handed to json itself, which then loads (re
# and all) to raise its usual JSONDecodeError: only a malformed text pays for that.
_WS = " \t\n\r"
_CONSTANTS = {"-Infinity": -math.inf, "Infinity": math.inf, "NaN": math.nan}


def _unencodable(value: object) -> object:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class _Scanning:
    """The settings json's C scanner reads from a JSONDecoder."""

    strict = True
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    def __init__(self, object_hook, parse_constant) -> None:
        self.object_hook = object_hook
        self.parse_constant = parse_constant


def _encoder(item: str, key: str, allow_nan: bool):
    """json.dumps(value, separators=(item, key), check_circular=False, allow_nan=allow_nan), as str."""
    if _json is None or not hasattr(_json, "make_encoder"):
        import json

        return lambda value: json.dumps(value, separators=(item, key), check_circular=False, allow_nan=allow_nan)
    encode = _json.make_encoder(None, _unencodable, _json.encode_basestring_ascii, None, key, item,
                                False, False, allow_nan)
    return lambda value: "".join(encode(value, 0))


def _decoder(object_hook, parse_constant):
    """json.JSONDecoder(object_hook=..., parse_constant=...).decode."""
    scan = _json.make_scanner(_Scanning(object_hook, parse_constant)) if _json is not None else None

    def decode(text: str) -> object:
        if scan is not None:
            start = len(text) - len(text.lstrip(_WS))
            try:
                value, end = scan(text, start)
            except (StopIteration, SystemError):  # SystemError: the scanner's way without json loaded
                pass
            else:
                if end >= len(text.rstrip(_WS)):
                    return value
        import json

        return json.JSONDecoder(object_hook=object_hook, parse_constant=parse_constant).decode(text)

    return decode


_WIRE_ENCODER = _encoder(",", ":", False)
_DUMPS = _encoder(", ", ": ", True)
_LOADS = _decoder(None, _CONSTANTS.__getitem__)
_WIRE_DECODE = _decoder(_untag, _not_json)


def dumps(value: object) -> bytes:
    """json.dumps(value).encode(): the runner's own messages."""
    return _DUMPS(value).encode()


def from_wire(data: bytes) -> object:
    """Decode bytes from an untrusted writer; ValueError on anything malformed."""
    try:
        value = _WIRE_DECODE(data.decode("utf-8"))
    except (RecursionError, UnicodeDecodeError) as e:
        raise ValueError(f"malformed value: {type(e).__name__}") from None
    # Nesting is bounded by the brackets in the text: count them (C-side) before walking.
    if type(value) in _CONTAINERS and data.count(b"[") + data.count(b"{") > MAX_DEPTH:
        _check_depth(value)
    return value


def _check_depth(value: Any) -> None:
    """ValueError if containers nest deeper than the encoder allows; one level at a time,
    each in a few C-side passes over its elements."""
    level = [value]
    for _ in range(MAX_DEPTH + 2):
        inner = list(itertools.chain.from_iterable(c.values() if type(c) is dict else c for c in level))
        level = list(itertools.compress(inner, map(_CONTAINERS.__contains__, map(type, inner))))
        if not level:
            return
    raise ValueError("value nested too deeply")


def _message(data: bytes) -> dict[str, Any]:
    """A message from drill to this runner: a JSON object."""
    value = parse(data)
    if not isinstance(value, dict):
        raise EOFError  # drill never sends anything else: as if it had gone
    return value


def parse(data: bytes) -> object:
    """Plain JSON (the runner's own messages), bytes from an untrusted writer."""
    try:
        return _LOADS(data.decode("utf-8"))
    except (RecursionError, UnicodeDecodeError) as e:
        raise ValueError(f"malformed value: {type(e).__name__}") from None


# ------------------------------------------------------------------ framing


def send(fd: int, *frames: bytes) -> None:
    # All frames in one write when small: the reader then wakes once, not once a frame.
    data = b"".join(len(frame).to_bytes(4, "big") + frame for frame in frames)
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(fd: int, n: int) -> bytes:
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def recv(fd: int) -> bytes:
    n = int.from_bytes(_read_exact(fd, 4), "big")
    if n > FRAME_CAP:
        raise EOFError
    return _read_exact(fd, n)


# ------------------------------------------------------------------ the child


def _set_limits(cfg: dict) -> None:
    import resource

    def lim(name: str, soft: int, hard: int | None = None) -> None:
        res = getattr(resource, name, None)
        if res is None:
            return
        hard = soft if hard is None else hard
        _cur_soft, cur_hard = resource.getrlimit(res)
        if cur_hard != resource.RLIM_INFINITY:
            hard = min(hard, cur_hard)
            soft = min(soft, hard)
        # A limit the platform refuses (e.g. RLIMIT_AS on macOS) is skipped: the parent's clock still holds.
        with _suppress(ValueError, OSError):
            resource.setrlimit(res, (soft, hard))

    cpu = math.ceil(cfg["seconds"])
    lim("RLIMIT_CPU", cpu + 1, int(cfg["cpu_total"]))
    if sys.platform != "darwin":
        lim("RLIMIT_AS", cfg["memory"])
    lim("RLIMIT_FSIZE", cfg["output"])
    lim("RLIMIT_NOFILE", 64)
    if cfg.get("nproc"):
        lim("RLIMIT_NPROC", cfg["nproc"])
    lim("RLIMIT_CORE", 0)


def _error_payload(e: BaseException, call: str = "") -> dict:
    import errno

    tb = e.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "answer.py":
            line = tb.tb_lineno
        tb = tb.tb_next
    kind = "error"
    if isinstance(e, MemoryError):
        kind = "memory"
    elif isinstance(e, OSError) and e.errno == errno.EFBIG:
        kind = "output"
    try:
        text = str(e)
    except BaseException:  # a hostile __str__
        text = "<unprintable>"
    return {"error": type(e).__name__, "message": text[:2000], "line": line, "kind": kind, "call": call}


def _run(entry: object, is_class: bool, case: dict) -> object:
    if not is_class:
        return entry(*case["args"], **case["kwargs"])  # type: ignore[operator]
    calls = case["calls"]
    obj = entry(*calls[0][1])  # type: ignore[operator]
    results: list[object] = [None]
    for i, (method, args) in enumerate(calls[1:], 2):
        try:
            results.append(getattr(obj, method)(*args))
        except BaseException as e:
            e.drill_call = f"call {i}, {method}"  # type: ignore[attr-defined]
            raise
    return results


def _fit_predict(entry: tuple) -> object:
    """A `model` question's one case: fit on the training frame, predict the hidden period's
    (its label column removed by the parent before the data was sent)."""
    fit, predict = entry  # the (fit, predict) pair _load found
    train, test = _DATA
    try:
        model = fit(train)
    except BaseException as e:
        with _suppress(BaseException):
            e.drill_call = "in fit"  # type: ignore[attr-defined]
        raise
    try:
        return predict(model, test)
    except BaseException as e:
        with _suppress(BaseException):
            e.drill_call = "in predict"  # type: ignore[attr-defined]
        raise


def _grandchild(entry: object, cfg: dict, case: dict, w: int, out_path: str) -> None:
    _setup_case(out_path)
    _run_case(entry, cfg, case, w)


def _setup_case(out_path: str) -> None:
    """A case's process, before its case: its own group, its output to the file."""
    os.setpgid(0, 0)
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    # Keep Python's usual behaviour for the answer's own pipes (we set SIG_DFL for ourselves).
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)


def _run_case(entry: object, cfg: dict, case: dict, w: int) -> None:
    import resource

    cpu = math.ceil(cfg["seconds"])
    with _suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    convert = None
    if _ML is not None:
        convert = _ML.convert
        if cfg.get("arguments"):
            try:
                case = _ML.build_case(cfg["arguments"], case, cfg["is_class"])
            except BaseException as e:  # checked by `drill packs validate`; a tests file may not be
                why = getattr(e, "message", None) or f"{type(e).__name__}: {e}"
                send(w, dumps({"build": str(why)[:500]}))
                return
    t0 = time.perf_counter()
    try:
        value = _fit_predict(entry) if cfg.get("model") else _run(entry, cfg["is_class"], case)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - t0
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        try:
            # The value after a newline, apart: the judge decodes it with from_wire alone.
            data = b'{"time":%r,"ok":true}\n%s' % (elapsed, to_wire(value, convert))
        except TooLarge as e:
            data = dumps({"big": str(e), "time": elapsed})
        except Unsendable as e:
            data = dumps({"bad": str(e), "time": elapsed})
    except BaseException as e:
        elapsed = time.perf_counter() - t0
        err = _error_payload(e, getattr(e, "drill_call", ""))
        err["time"] = elapsed
        data = dumps(err)
    send(w, data)


def _rss_probe():
    """macOS ignores RLIMIT_AS: there the wait loop watches the case's resident memory instead."""
    if sys.platform != "darwin":
        return None
    try:
        import ctypes

        libproc = ctypes.CDLL("/usr/lib/libproc.dylib")
    except (ImportError, OSError):
        return None
    buf = ctypes.create_string_buffer(96)  # struct proc_taskinfo; resident size at offset 8

    def rss(pid: int) -> int:
        n = libproc.proc_pidinfo(pid, 4, 0, buf, 96)  # PROC_PIDTASKINFO
        return int.from_bytes(buf.raw[8:16], "little") if n >= 16 else 0

    return rss


def _wait_case(pid: int, r: int, deadline: float, rss=None,
               memory: int = 0) -> tuple[bytes, int | None, float, bool, bool]:
    """Collect the grandchild's payload; kill it once that is complete or at the deadline.

    Returns (payload, wait status or None, CPU seconds, timed out, over memory). A complete
    payload means the case is over: the grandchild is killed rather than waited for, so
    its teardown overlaps the parent's work, and it is reaped at a later sweep.
    """
    os.set_blocking(r, False)
    pidfd = None
    if hasattr(os, "pidfd_open"):
        with _suppress(OSError):
            pidfd = os.pidfd_open(pid)
    buf = bytearray()
    status = None
    cpu = 0.0
    timed_out = over_memory = False
    pause = 0.0005
    try:
        while True:
            if rss is not None and rss(pid) > memory:
                over_memory = True
                break
            _drain(r, buf)
            if _complete(buf) or len(buf) > FRAME_CAP:
                break
            got, st, ru = os.wait4(pid, os.WNOHANG)
            if got:
                status, cpu = st, ru.ru_utime + ru.ru_stime
                _drain(r, buf)
                break
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            fds = [r] + ([pidfd] if pidfd is not None else [])
            wait = left if pidfd is not None and rss is None else min(left, pause)
            select.select(fds, [], [], wait)
            pause = min(pause * 2, 0.01)
    finally:
        if pidfd is not None:
            os.close(pidfd)
    if status is None:
        _kill_group(pid)
        if not _complete(buf):
            _, status, ru = os.wait4(pid, 0)
            cpu = ru.ru_utime + ru.ru_stime
            _drain(r, buf)
    return bytes(buf), status, cpu, timed_out, over_memory


def _complete(buf: bytearray) -> bool:
    return len(buf) >= 4 and len(buf) >= 4 + int.from_bytes(buf[:4], "big")


def _drain(r: int, buf: bytearray) -> None:
    while len(buf) <= FRAME_CAP:
        try:
            chunk = os.read(r, 1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            return
        buf += chunk


def _kill_group(pgid: int) -> None:
    with _suppress(OSError):
        os.killpg(pgid, signal.SIGKILL)


def _sweep(pid: int, own_ns: bool) -> None:
    """Kill whatever the case left behind, including processes that called setsid."""
    if pid:
        _kill_group(pid)
    if own_ns:
        # Only inside our own pid namespace: there -1 means "every process in the sandbox
        # but init and us"; outside it would mean every process the user may signal.
        # Repeat a few times in case a forking answer slipped a child past one pass; it
        # stops early once nothing is left to signal (ESRCH); the dead are reaped
        # between passes, since kill(-1) counts an unreaped zombie as signalled.
        for _ in range(20):
            _reap()
            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                break
    _reap()


def _reap() -> None:
    while True:  # as a namespace's init, orphans are ours to reap
        try:
            got, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not got:
            return


def _tail(path: str) -> tuple[int, str]:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return 0, ""
    try:
        size = os.fstat(fd).st_size
        tail = os.pread(fd, OUTPUT_TAIL, max(0, size - OUTPUT_TAIL)) if size else b""
        return size, tail.decode("utf-8", "replace")
    except OSError:
        return 0, ""
    finally:
        os.close(fd)


def _own_pid_namespace(host_ns: str) -> bool:
    try:
        return os.readlink("/proc/self/ns/pid") != host_ns
    except OSError:
        return False


def _allow_imports(requires: list[str]) -> None:
    """The answer's own imports: the standard library and the question's `requires:`, nothing else.

    Another import fails with a message naming what is allowed, instead of a traceback
    about site-packages. Only the answer is held to it: the required packages import what
    they need. `import` statements go through builtins.__import__, which sees the
    importer's globals (so also modules loaded already, such as numpy under pandas); a
    meta-path finder catches dynamic imports (importlib.import_module) of modules not yet
    loaded, by the first frame outside importlib. A rule for honest answers, not a wall:
    what an answer can reach at all is the sandbox's business.
    """
    import builtins

    allowed = {name.partition(".")[0] for name in requires}
    stdlib = sys.stdlib_module_names
    names = ["the standard library", *sorted(allowed)]
    said = f"{', '.join(names[:-1])} and {names[-1]}" if allowed else "the standard library only"

    def refuse(name: str) -> None:
        top = name.partition(".")[0]
        if top in stdlib or top in allowed or top == "answer":
            return
        raise ModuleNotFoundError(f"this question allows {said}; {top!r} is not allowed", name=top)

    real_import = builtins.__import__

    def guarded(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0:
            g = globals if globals is not None else sys._getframe(1).f_globals
            if type(g) is dict and g.get("__name__") == "answer":
                refuse(name)
        return real_import(name, globals, locals, fromlist, level)

    class AnswerImports:
        @staticmethod
        def find_spec(name, path=None, target=None):
            frame = sys._getframe(1)
            while frame is not None and (frame.f_code.co_filename.startswith("<frozen importlib")
                                         or frame.f_globals.get("__name__") == "importlib"):
                frame = frame.f_back
            if frame is not None and frame.f_globals.get("__name__") == "answer":
                refuse(name)
            return None

    builtins.__import__ = guarded
    sys.meta_path.insert(0, AnswerImports)


_ML = None  # drill/judge/_mlchild.py, for questions with `requires:`
_ML_MEMORY = 0  # address space the required packages took, added to the memory limit
_DATA: tuple = ()  # a `model` question's (train, test) DataFrames, built before the answer loads


def _receive_data(in_fd: int, items: list) -> list[tuple[bytes, bool]]:
    """A `model` question's files, sent by the parent right after the config: for each
    declared item, frames of bytes until its declared size. (bytes, gzip) per item."""
    out = []
    for item in items:
        size, chunks, got = int(item["size"]), [], 0
        while got < size:
            chunk = recv(in_fd)
            if not chunk or got + len(chunk) > size:
                raise EOFError
            chunks.append(chunk)
            got += len(chunk)
        out.append((b"".join(chunks), bool(item.get("gzip"))))
    return out


def _prepare_data(blobs: list[tuple[bytes, bool]]) -> dict | None:
    """Build the DataFrames from the files (after the imports, before the answer loads), and
    count their address space with the libraries': the limit is for what the answer allocates."""
    global _DATA, _ML_MEMORY
    before = _vm()
    try:
        _DATA = tuple(_ML.read_frame(raw, gz) for raw, gz in blobs)  # type: ignore[union-attr]
    except BaseException as e:
        return {"load": "data", "message": f"{type(e).__name__}: {str(e)[:500]}"}
    _ML_MEMORY += max(0, _vm() - before)
    return None


def _vm() -> int:
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _prepare_requires(requires: list[str], arguments: dict) -> dict | None:
    """Load the numpy/pandas helpers and import the required packages, once, before any fork.

    The memory limit is raised by the address space those imports took: a question's
    limit is for what the answer allocates, not for the libraries. Returns a failure
    report, or None. Called early too (see main), then again with the question's config.
    """
    global _ML, _ML_MEMORY
    import types

    vm = _vm
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_mlchild.py")
    before = vm()
    try:
        module = _ML
        if module is None:
            with open(path, "rb") as f:
                code = compile(f.read(), path, "exec", dont_inherit=True)
            module = types.ModuleType("_drill_mlchild")
            module.__file__ = path
            module.__dict__.update(TooLarge=TooLarge, Unsendable=Unsendable, MAX_ITEMS=MAX_ITEMS)
            sys.modules[module.__name__] = module
            exec(code, module.__dict__)
        module.preimport(requires)
    except BaseException as e:
        return {"load": "requires", "message": f"{type(e).__name__}: {str(e)[:500]}"}
    _ML = module
    with _suppress(Exception):  # first-use work once here, not in every case's fork
        to_wire(module.warm(arguments), module.convert)
    _ML_MEMORY += max(0, vm() - before)
    return None


def _load(source: bytes, cfg: dict, out_path: str) -> tuple[object | None, dict | None]:
    import types

    try:
        code = compile(source, "answer.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as e:
        line = getattr(e, "lineno", None)
        return None, {"load": "syntax_error", "error": type(e).__name__,
                      "message": getattr(e, "msg", None) or str(e), "line": line}
    module = types.ModuleType("answer")
    module.__file__ = "answer.py"
    sys.modules["answer"] = module
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    try:
        exec(code, module.__dict__)
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException as e:
        err = _error_payload(e)
        err["load"] = "import"
        for stream in (sys.stdout, sys.stderr):
            with _suppress(BaseException):
                stream.flush()
        return None, err
    what = "class" if cfg["is_class"] else "function"
    found = []
    for name in cfg.get("entries") or [cfg["entry"]]:
        entry = module.__dict__.get(name)
        if entry is None:
            return None, {"load": "missing", "message": f"the answer defines no {what} named '{name}'"}
        if (cfg["is_class"] and not isinstance(entry, type)) or not callable(entry):
            return None, {"load": "missing", "message": f"'{name}' in the answer is not a {what}"}
        found.append(entry)
    return (tuple(found) if cfg.get("entries") else found[0]), None


# ------------------------------------------------------------------ clean cases
# Each case starts with empty scratch folders: what one case wrote there, the next cannot
# see. Which folders: "sandbox" (bwrap) /tmp (the working folder) and /dev/shm, both the
# sandbox's own; "mount" (rlimit as root, own mount namespace) /tmp and /dev/shm covered
# by tmpfs mounted here; "plain" only the working folder (/tmp is the host's: never touched).


def _private_mounts(needed: list[str]) -> bool:
    """Cover /tmp and /dev/shm with small tmpfs of our own (we are root in our own mount
    namespace here: `unshare --mount`); False if that cannot be done.

    What this process still reads from under them (`needed`: a venv in a clone under /tmp,
    drill itself) is bound back, read-only, from handles opened before the cover, the way
    bubblewrap binds paths on top of its own /tmp.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
    except (ImportError, OSError):
        return False
    keep: list[tuple[str, int]] = []
    for path in sorted({os.path.realpath(q) for q in needed if q}):
        if path.startswith(("/tmp/", "/dev/shm/")) and os.path.isdir(path) \
                and not any(path.startswith(k + "/") for k, _ in keep):
            try:
                keep.append((path, os.open(path, os.O_PATH | os.O_DIRECTORY)))
            except OSError:
                return False
    options = f"size={TMP_BYTES},nr_inodes={TMP_INODES},mode=1777".encode()
    try:
        for target in ("/tmp", "/dev/shm"):
            if os.path.isdir(target) and libc.mount(b"tmpfs", target.encode(), b"tmpfs", 2 | 4, options) != 0:
                return False  # MS_NOSUID | MS_NODEV
        for path, fd in keep:
            os.makedirs(path, exist_ok=True)
            source = f"/proc/self/fd/{fd}".encode()
            if libc.mount(source, path.encode(), None, 4096 | 16384, None) != 0:  # MS_BIND | MS_REC
                return False
            # Read-only: MS_REMOUNT | MS_BIND | MS_RDONLY (what fails here only costs the answer a write).
            libc.mount(None, path.encode(), None, 32 | 4096 | 1, None)
    finally:
        for _, fd in keep:
            os.close(fd)
    return True


def _scratch(mode: str, needed: list[str]) -> list[tuple[str, tuple[int, int], frozenset]]:
    """The folders to empty between cases: (path, (device, inode), entries to keep).

    In "mount" mode /tmp and /dev/shm get private tmpfs, with what is `needed` (Python,
    site-packages, this runner) bound back where it lives under them."""
    folders = [os.getcwd()]
    if mode == "sandbox" or (mode == "mount" and _private_mounts(needed)):
        os.chdir("/tmp")
        os.environ["HOME"] = os.environ["TMPDIR"] = "/tmp"
        folders = ["/tmp", "/dev/shm"]
    out = []
    for path in folders:
        try:
            st = os.lstat(path)
            keep = frozenset(os.listdir(path))  # e.g. folders bwrap made for binds under /tmp
        except OSError:
            continue
        out.append((path, (st.st_dev, st.st_ino), keep))
    return out


def _empty(path: str, ident: tuple[int, int], keep: frozenset) -> None:
    """Remove everything in `path` but `keep`, however deep or unwritable the tree.

    No recursion and no descriptor per level (it walks with chdir, checking each step),
    and it never leaves the folder's file system nor follows a link: an answer may have
    swapped a folder for a link, or mounted something inside, and must not steer this
    into deleting anything else.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return
    back = os.open(".", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino) != ident:
            return
        os.fchdir(fd)
        dev = st.st_dev
        # Each level: (its identity, its name in the level above, names left to remove in it).
        stack = [((st.st_dev, st.st_ino), "", [n for n in os.listdir(".") if n not in keep])]
        while stack:
            names = stack[-1][2]
            if not names:
                _, done, _ = stack.pop()
                if not stack:
                    break
                os.chdir("..")
                here = os.stat(".")
                if (here.st_dev, here.st_ino) != stack[-1][0]:
                    return  # the tree moved under us: stop rather than guess
                with _suppress(OSError):
                    os.rmdir(done)
                continue
            name = names.pop()
            try:
                os.unlink(name)
                continue
            except IsADirectoryError:
                pass
            except OSError:
                continue
            try:
                sub = os.lstat(name)
                if sub.st_dev != dev:
                    continue  # a mount point: not ours to empty
                os.chmod(name, 0o700)
                os.chdir(name)
                now = os.stat(".")
                if (now.st_dev, now.st_ino) != (sub.st_dev, sub.st_ino):
                    return
                stack.append(((now.st_dev, now.st_ino), name, os.listdir(".")))
            except OSError:
                continue
    except OSError:
        pass
    finally:
        with _suppress(OSError):
            os.fchdir(back)
        os.close(back)
        os.close(fd)


def main(argv: list[str]) -> int:
    in_fd, out_fd, answer, host_ns = int(argv[1]), int(argv[2]), argv[3], argv[4]
    mode = argv[5] if len(argv) > 5 else "plain"
    paths = argv[7:]  # where the question's packages live (argv[6]: the cgroup's files, above)
    sys.set_int_max_str_digits(0)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    with open(answer, "rb") as f:
        source = f.read()  # before "mount" mode covers the folder it is in
    # Scratch folders now, while drill loads the question: what this process still reads
    # from disk (lazy imports, the numpy/pandas helper) must stay visible under a private
    # /tmp: _private_mounts binds those folders back.
    scratch = _scratch(mode, [os.path.dirname(os.path.abspath(__file__)), sys.base_prefix, sys.prefix, *paths])
    for p in reversed(paths):
        sys.path.insert(0, p)
    hello: dict = {"hello": os.getpid()}
    if _entering is not None:  # (no answer code has run yet: this report can be believed)
        _entering.acquire()
        hello["cgroup"] = bool(_entered)
    send(out_fd, dumps(hello))
    try:
        cfg = _message(recv(in_fd))
        if "preimport" in cfg:
            # `drill check` started us before it knew more than the question's packages
            # (drill.judge.prelaunch): import them while it starts up; a failure is
            # reported below, when the question's own config asks for them again.
            _prepare_requires(cfg["preimport"], {})
            cfg = _message(recv(in_fd))
        blobs = _receive_data(in_fd, cfg.get("data") or [])
    except EOFError:
        return 0
    work = os.getcwd()
    out_path = os.path.join(work, "answer.out")
    own_ns = _own_pid_namespace(host_ns)
    for p in reversed(cfg.get("paths", [])):
        if p not in sys.path:
            sys.path.insert(0, p)
    _allow_imports(cfg.get("requires") or [])
    if cfg.get("requires"):
        failure = _prepare_requires(cfg["requires"], cfg.get("arguments") or {})
        if failure is None and blobs:
            failure = _prepare_data(blobs)
        del blobs
        send(out_fd, dumps(failure or {"imported": True}))
        if failure is not None:
            return 0
        cfg["memory"] += _ML_MEMORY
    _set_limits(cfg)
    entry, failure = _load(source, cfg, out_path)
    if failure is not None:
        failure["out_size"], failure["out_tail"] = _tail(out_path)
        send(out_fd, dumps(failure))
        return 0
    import resource

    # The import is done: give the rest of the whole-check CPU budget to the case loop.
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    with _suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
    rss = _rss_probe()
    # Park everything loaded so far outside the collector: a collection in a case would
    # otherwise touch, and so copy, nearly every page the fork shares with us.
    import gc

    gc.collect()
    gc.freeze()
    # Files the answer's import wrote, and processes it started, are no case's.
    _sweep(0, own_ns)
    for folder in scratch:
        _empty(*folder)
    # "ready" before each case: the parent sends a case only then, and times it from
    # there, so this runner's own cleaning never counts against a case.
    send(out_fd, b'{"ready":true}')
    # The next case's process is forked while the judge sends that case (it then waits in the pipe).
    spare = _prefork(entry, cfg, in_fd, out_fd, out_path, own_ns)
    while True:
        try:
            msg = recv(in_fd)
        except EOFError:
            msg = b""
        if not msg:
            # The parent is done (or gone): leave nothing behind, and skip interpreter teardown.
            _discard(spare)
            _sweep(0, own_ns)
            os._exit(0)
        try:
            # The parent sends each case as a dict, decoded by the process that runs it.
            head, payload = _one_case(msg, entry, cfg, in_fd, out_fd, out_path, rss, own_ns, spare)
        except (OSError, ValueError) as e:  # our own trouble, not the answer's: say so, and go on
            head, payload = {"internal": f"{type(e).__name__}: {e}"}, b""
        spare = None
        send(out_fd, dumps(head), payload)
        # Before the next case: nothing this one started may still run, and nothing it
        # wrote may still be there (the parent is meanwhile busy with the report).
        _sweep(head.get("pid", 0), own_ns)
        for folder in scratch:
            _empty(*folder)
        send(out_fd, b'{"ready":true}')
        spare = _prefork(entry, cfg, in_fd, out_fd, out_path, own_ns)


def _fork(own_ns: bool) -> int:
    """fork(), waiting out a full process table for up to a second.

    RLIMIT_NPROC counts every process of the sandbox uid, including dying ones of other
    checks running at the same time.
    """
    for attempt in range(50):
        try:
            return os.fork()
        except BlockingIOError:
            if attempt == 49:
                raise
            _sweep(0, own_ns)
            time.sleep(0.02)
    raise AssertionError("unreachable")


# ------------------------------------------------------------------ spare processes
# Between two cases, once it has said "ready", the runner forks the next case's process
# ahead and sets it up (while the judge reads the last report and sends the next case); it
# waits for its case on a pipe of its own. Forked after the sweep and the cleaning, a spare
# holds nothing of the previous case, and it takes a case only up to SPARE_BYTES (decoded
# in it, a small case's decoding is nothing against its limits); a larger case, or one
# arriving when no spare could be made, gets a process forked after it is decoded, as
# before.
SPARE_BYTES = 1 << 16  # what a pipe takes in one write without waiting for its reader


def _prefork(entry: object, cfg: dict, in_fd: int, out_fd: int, out_path: str,
             own_ns: bool) -> tuple[int, int, int] | None:
    """A spare case process: (pid, pipe to send it its case, pipe of its report), or None."""
    cr, cw = os.pipe()
    r, w = os.pipe()
    try:
        pid = _fork(own_ns)
    except OSError:
        for fd in (cr, cw, r, w):
            os.close(fd)
        return None
    if pid == 0:
        try:
            for fd in (cw, r, in_fd, out_fd):
                os.close(fd)
            _setup_case(out_path)
            chunks = []
            while chunk := os.read(cr, 1 << 16):
                chunks.append(chunk)
            os.close(cr)
            if chunks:  # nothing: the runner had no case for it
                _run_case(entry, cfg, from_wire(b"".join(chunks)), w)  # type: ignore[arg-type]
        finally:
            os._exit(0)
    os.close(cr)
    os.close(w)
    with _suppress(OSError):  # it did so itself already, or is gone
        os.setpgid(pid, pid)
    return pid, cw, r


def _discard(spare: tuple[int, int, int] | None) -> None:
    if spare is not None:
        pid, cw, r = spare
        os.close(cw)
        os.close(r)
        _kill_group(pid)


def _give(spare: tuple[int, int, int], msg: bytes) -> bool:
    """Hand a case to the spare process; False if it is gone."""
    previous = signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # a dead reader: an error, not our end
    try:
        view = memoryview(msg)
        while view:
            view = view[os.write(spare[1], view):]
        return True
    except OSError:
        return False
    finally:
        signal.signal(signal.SIGPIPE, previous)


def _one_case(msg: bytes, entry: object, cfg: dict, in_fd: int, out_fd: int, out_path: str,
              rss, own_ns: bool, spare: tuple[int, int, int] | None = None) -> tuple[dict, bytes]:
    start = time.monotonic()
    if spare is not None and len(msg) <= SPARE_BYTES and _give(spare, msg):
        pid, cw, r = spare
        os.close(cw)  # the end of its case
    else:
        _discard(spare)
        case = from_wire(msg)
        r, w = os.pipe()
        start = time.monotonic()
        try:
            pid = _fork(own_ns)
        except OSError:
            os.close(r)
            os.close(w)
            raise
        if pid == 0:
            try:
                os.close(r)
                os.close(in_fd)
                os.close(out_fd)
                _grandchild(entry, cfg, case, w, out_path)  # type: ignore[arg-type]
            finally:
                os._exit(0)
        os.close(w)
        with _suppress(OSError):  # it did so itself already, or is gone
            os.setpgid(pid, pid)
    payload, status, cpu, timed_out, over_memory = _wait_case(
        pid, r, start + cfg["seconds"], rss, cfg["memory"])
    wall = time.monotonic() - start
    os.close(r)
    size, tail = _tail(out_path)
    head = {"pid": pid, "wall": wall, "status": status, "cpu": cpu, "timeout": timed_out,
            "memory": over_memory, "out_size": size, "out_tail": tail}
    n = int.from_bytes(payload[:4], "big") if len(payload) >= 4 else 0
    return head, payload[4 : 4 + n]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
