"""Judging a Python answer to a `code` question on its cases, like an online judge.

The parent (this module) holds the expected values and never sends them anywhere: the
child (drill/judge/_runner.py, started by drill.judge.sandbox) imports the answer once, receives one
case's inputs at a time, runs it in a fresh fork and sends back a plain value, which is
compared here. A child that dies is replaced for the remaining cases.
"""

from __future__ import annotations

import math
import os
import select
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from drill.errors import SandboxError
from drill.judge import sandbox
from drill.judge._runner import TooLarge, Unsendable, parse, to_wire, untag
from drill.judge.compare import same
from drill.judge.verdict import CaseResult, CheckResult, cut

OUTPUT_BYTES = 1 << 20  # the pack format has no output limit yet: 1 MB, as Judge0's default
SLACK = 2.0  # seconds the parent waits beyond a case's limit before it kills the child
LOAD_SLACK = 0.5  # importing the answer gets its case limit plus this, then every case fails
WINDOW = 32  # cases queued ahead to the runner (small ones: all of a typical question's)
WINDOW_BYTES = 48 << 10  # and at most this much input queued, well inside a pipe's 64 KB
WHOLE_CAP = 120.0  # seconds all cases together may take, however many there are
VALUE_TYPES = "None, bool, int, float, str, list, tuple or dict with str keys"


@dataclass
class Case:
    name: str
    hidden: bool
    inputs: dict[str, Any]  # {"args", "kwargs"} or {"calls"}: all the child ever sees
    expected: Any


@dataclass
class Spec:
    """What judging needs from a question, independent of how it was loaded."""

    uid: str
    entry: str
    is_class: bool
    cases: list[Case]
    rel_tol: float = 1e-6
    abs_tol: float = 1e-9
    unordered: bool = False
    seconds: float = 2.0
    memory_mb: int = 512
    output_bytes: int = OUTPUT_BYTES
    requires: list[str] = field(default_factory=list)

    def only_examples(self) -> Spec:
        return replace(self, cases=[c for c in self.cases if not c.hidden])


def spec_for(loaded, *, examples_only: bool = False) -> Spec:
    q = loaded.question
    pairs = [(c, False, c.name or f"example-{i}") for i, c in enumerate(q.examples, 1)]
    if not examples_only:
        pairs += [(c, True, c.name or f"test-{i}") for i, c in enumerate(loaded.hidden, 1)]
    cases = []
    for c, hidden, name in pairs:
        inputs = {"calls": c.calls} if q.is_class else {"args": c.args or [], "kwargs": c.kwargs or {}}
        cases.append(Case(name, hidden, inputs, c.expected))
    return Spec(
        uid=loaded.uid, entry=q.entry, is_class=q.is_class, cases=cases,
        rel_tol=q.compare.rel_tol, abs_tol=q.compare.abs_tol, unordered=q.compare.unordered,
        seconds=q.limits.seconds, memory_mb=q.limits.memory_mb, requires=list(q.requires),
    )


def site_paths() -> list[str]:
    """Where this environment's packages live, for questions that import e.g. numpy."""
    import sysconfig

    paths = sysconfig.get_paths()
    return sorted({os.path.realpath(paths[k]) for k in ("purelib", "platlib") if os.path.isdir(paths[k])})


def judge_code(loaded, source: str, *, examples_only: bool = False, sandbox: str = "auto") -> CheckResult:
    """Run `source` on the question's examples (and hidden tests unless `examples_only`)."""
    result, _notes = judge_spec(spec_for(loaded, examples_only=examples_only), source, sandbox)
    return result


def launch(source: str, requested: str = "auto", requires: bool = False) -> sandbox.Launch:
    """Start the runner for `source` now, to hand to judge_spec once the spec is loaded."""
    return sandbox.Launch(requested, source, site_paths() if requires else [])


def judge_spec(spec: Spec, source: str, requested: str = "auto",
               launched: sandbox.Launch | None = None, *,
               stop_at_failure: bool = False,
               meanwhile: Callable[[], object] | None = None,
               finish_later: list[Callable[[], None]] | None = None) -> tuple[CheckResult, list[str]]:
    """Judge, and also return notes for the user (e.g. a fallback from bwrap).

    With `stop_at_failure`, judging ends at the first case that does not pass (the
    result then holds only the cases run): `drill packs audit` needs only that for a
    mutant, and a mutant that loops forever would otherwise pay the limit on every case.
    `meanwhile` is called once, after the first cases are queued to the runner: work
    the caller will need next (e.g. imports) then overlaps the runner's. With
    `finish_later`, a healthy runner is told to stop but not waited for: what waits for
    it (and everything it started) to end, and removes its folders, is appended there
    for the caller to call, e.g. after its own remaining work.
    """
    sandbox.resolve(requested)  # refuse an impossible mode before doing anything
    whole = sandbox.HELLO_SECONDS + spec.seconds + min(WHOLE_CAP, sum(spec.seconds + 0.5 for _ in spec.cases))
    run = _Run(spec, source, requested, time.monotonic() + whole, launched)
    run.stop_at_failure = stop_at_failure
    run.meanwhile = meanwhile
    try:
        results = run.all()
    finally:
        run.stop(finish_later)
        if launched is not None:
            launched.cancel()
    return CheckResult(spec.uid, run.mode or sandbox.resolve(requested), results, run.error), run.notes


class _ChildGone(Exception):
    """The runner died or went silent; `timeout` tells which."""

    def __init__(self, timeout: bool) -> None:
        super().__init__("timeout" if timeout else "gone")
        self.timeout = timeout


class _Run:
    def __init__(self, spec: Spec, source: str, requested: str, deadline: float,
                 launched: sandbox.Launch | None = None) -> None:
        self.spec = spec
        self.source = source
        self.launched = launched
        self.paths = launched.extra if launched is not None else (site_paths() if spec.requires else [])
        self.requested = requested
        self.deadline = deadline
        self.child: sandbox.Child | None = None
        self.mode: str | None = None
        self.notes: list[str] = []
        self.error: str | None = None
        self._buf = bytearray()
        self._healthy = True
        self.stop_at_failure = False
        self.meanwhile: Callable[[], object] | None = None

    # ------------------------------------------------------------ the loop
    def all(self) -> list[CaseResult]:
        out: list[CaseResult] = []
        pending: deque[tuple[Case, bytes | str]] = deque((c, _encode(c)) for c in self.spec.cases)
        while pending:
            if time.monotonic() >= self.deadline:
                out += [self._skipped(c) for c, _ in pending]
                break
            failed = self._boot()
            if failed is not None:
                out += [self._as(c, *failed) for c, _ in pending]
                break
            self._stream(pending, out)
            if self.stop_at_failure and out and not out[-1].passed:
                break
        return out

    def _stream(self, pending: deque, out: list[CaseResult]) -> None:
        """Judge cases in order on the current runner until done or the runner is lost.

        Up to WINDOW cases' inputs are queued ahead in the runner's pipe, so it starts the
        next case without waiting for this process; it still reads and runs them one by one.
        Cases queued to a lost runner go back to `pending` for the next one.
        """
        inflight: deque[tuple[Case, int]] = deque()
        queued = 0
        started = time.monotonic()  # when the runner began the oldest case in flight, at the latest
        while pending or inflight:
            while pending and len(inflight) < WINDOW:
                case, wire = pending[0]
                if isinstance(wire, str):  # inputs the wire cannot carry: a verdict in its turn
                    if inflight:
                        break
                    pending.popleft()
                    out.append(self._as(case, "internal_error", f"this case's input cannot be sent to the answer: {wire}"))
                    started = time.monotonic()
                    continue
                if inflight and queued + len(wire) > WINDOW_BYTES:
                    break  # never more queued than a pipe holds: writing must not block on a busy runner
                try:
                    self._send(wire)
                except _ChildGone as gone:
                    self._give_up(pending, inflight, out, gone)
                    return
                pending.popleft()
                inflight.append((case, len(wire)))
                queued += len(wire)
            if not inflight:
                continue
            if self.meanwhile is not None:
                hook, self.meanwhile = self.meanwhile, None
                hook()
            case, size = inflight[0]
            # Large inputs take the runner a while to decode before the case's clock starts.
            wait_until = min(started + self.spec.seconds + SLACK + size / 5e6, self.deadline)
            try:
                res = self._receive(case, wait_until)
            except _ChildGone as gone:
                self._give_up(pending, inflight, out, gone)
                return
            inflight.popleft()
            queued -= size
            started = time.monotonic()
            out.append(res)
            if self.stop_at_failure and not res.passed:
                self._healthy = False  # the cases queued ahead are not worth waiting for
                return

    def _give_up(self, pending: deque, inflight: deque, out: list[CaseResult], gone: _ChildGone) -> None:
        self._healthy = False
        if inflight:
            case, _ = inflight.popleft()
            out.append(self._lost(case, gone))
        for case, _ in reversed(inflight):
            pending.appendleft((case, _encode(case)))
        self.stop()

    def stop(self, finish_later: list[Callable[[], None]] | None = None) -> None:
        if self.child is not None:
            if finish_later is not None and self._healthy:
                self.child.begin_close()
                finish_later.append(self.child.close)
            else:
                # A runner that went silent or died gets no chance to clean up after itself.
                self.child.close(graceful=self._healthy)
            self.child = None
        self._healthy = True
        self._buf.clear()

    def _boot(self) -> tuple[str, str] | None:
        """Start a runner and load the answer; a (status, message) for every case if that fails."""
        spec = self.spec
        if self.launched is not None:
            child = self.launched.ready()
            self.launched = None
        else:
            child = sandbox.start(self.requested, self.source, self.paths)
        self.child = child
        if self.mode is None:
            self.notes += child.notes
            # A replacement runner must not retry (and report again) a bwrap that failed.
            self.requested = "bwrap" if child.mode == "bwrap" else "none"
        self.mode = child.mode
        seconds = spec.seconds
        cfg = {
            "entry": spec.entry, "is_class": spec.is_class, "seconds": seconds,
            "memory": spec.memory_mb << 20, "output": spec.output_bytes,
            "nproc": sandbox.nproc_limit(child.mode),
            "cpu_total": math.ceil(max(1.0, self.deadline - time.monotonic())) + 2,
            "paths": self.paths,
        }
        import json

        try:
            self._send(json.dumps(cfg).encode())
            msg = self._frame(time.monotonic() + seconds + LOAD_SLACK)
        except _ChildGone as gone:
            self._healthy = False
            return self._load_death(gone)
        try:
            info = parse(msg)
        except ValueError:
            info = None
        if not isinstance(info, dict):
            return "runtime_error", "the answer garbled the judge's channel while loading"
        if info.get("ready") is True:
            return None
        return self._load_failure(info)

    def _load_death(self, gone: _ChildGone) -> tuple[str, str]:
        limit = f"{self.spec.seconds:g} s"
        if gone.timeout:
            return "time_limit", f"the answer did not finish loading within {limit}"
        sig = self._child_signal()
        if sig in (signal.SIGXCPU, signal.SIGKILL):
            return "time_limit", f"the answer did not finish loading within {limit}"
        return "runtime_error", f"the answer crashed while loading ({_signal_name(sig) if sig else 'it exited'})"

    def _load_failure(self, info: dict) -> tuple[str, str]:
        kind = info.get("load")
        if kind == "syntax_error":
            line = info.get("line")
            msg = f"{info.get('error', 'SyntaxError')}: {info.get('message', '')}" + (f" (line {line})" if line else "")
            self.error = cut(str(msg))
            return "syntax_error", self.error
        if kind == "missing":
            self.error = cut(str(info.get("message", "")))
            return "runtime_error", self.error
        status, reason = _error_status(info, self.spec)
        self.error = cut(f"while loading: {reason}" + _output_note(info))
        return status, self.error

    # ------------------------------------------------------------ one case
    def _receive(self, case: Case, wait_until: float) -> CaseResult:
        head_raw = self._frame(wait_until)
        payload_raw = self._frame(wait_until)
        try:
            head = parse(head_raw)
        except ValueError:
            head = None
        if not isinstance(head, dict):
            return self._as(case, "runtime_error", "the answer garbled the judge's report")
        res = self._verdict(case, head, payload_raw)
        res.message = cut(res.message)  # the answer's own words and output, made harmless
        return res

    def _verdict(self, case: Case, head: dict, payload_raw: bytes) -> CaseResult:
        spec = self.spec
        limit = f"{spec.seconds:g} s"
        wall = _num(head.get("wall"))
        cpu = _num(head.get("cpu"))
        status = head.get("status")
        status = status if type(status) is int else None
        out_size = _num(head.get("out_size"))
        note = _output_note(head)
        res = CaseResult(case.name, case.hidden, "internal_error", wall * 1000, "",
                         case.inputs, case.expected, None)
        payload: Any = None
        if payload_raw:
            try:
                payload = parse(payload_raw)
            except ValueError:
                payload = "malformed"
        if isinstance(payload, dict):
            t = _num(payload.get("time"), -1.0)
            if 0 <= t <= wall:
                res.time_ms = t * 1000
        sig = os.WTERMSIG(status) if status is not None and os.WIFSIGNALED(status) else None
        if "internal" in head:  # the runner could not run the case (e.g. no process to fork)
            res.message = f"the judge could not run this case: {head['internal']}"
        elif head.get("timeout") is True or cpu >= spec.seconds or (
            sig in (signal.SIGXCPU, signal.SIGKILL) and cpu >= math.ceil(spec.seconds) - 0.05
        ):
            res.status, res.message = "time_limit", f"took longer than {limit}"
            res.time_ms = max(res.time_ms, spec.seconds * 1000)
        elif head.get("memory") is True:  # macOS: the runner saw the case's resident memory pass the limit
            res.status = "memory_limit"
            res.message = f"used more than the {spec.memory_mb} MB memory limit"
        elif out_size >= spec.output_bytes:
            res.status = "output_limit"
            res.message = f"printed or wrote more than {spec.output_bytes >> 20} MB"
        elif isinstance(payload, dict) and "ok" in payload:
            try:
                res.actual = untag(payload["ok"])
            except (ValueError, RecursionError):
                res.status, res.message = "runtime_error", "the answer garbled the judge's report"
                return res
            ok = _matches(spec, case.expected, res.actual)
            res.status = "passed" if ok else "wrong_answer"
            res.message = "" if ok else "wrong answer" + note
        elif isinstance(payload, dict) and "bad" in payload:
            res.status = "wrong_answer"
            res.message = cut(f"returned {payload['bad']}; return only {VALUE_TYPES}")
        elif isinstance(payload, dict) and "big" in payload:
            res.status, res.message = "output_limit", cut(f"the return value is too large ({payload['big']})")
        elif isinstance(payload, dict) and "error" in payload:
            res.status, reason = _error_status(payload, spec)
            res.message = cut(reason + note)
        elif sig is not None:
            res.status = "runtime_error"
            res.message = cut(f"crashed: {_signal_name(sig)}{_signal_hint(sig)}" + note)
        elif payload == "malformed":
            res.status, res.message = "runtime_error", "the answer garbled the judge's report"
        else:
            code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else "?"
            res.status = "runtime_error"
            res.message = cut(f"the answer ended the process (exit status {code}) before returning" + note)
        return res

    def _as(self, case: Case, status: str, message: str) -> CaseResult:
        return CaseResult(case.name, case.hidden, status, 0.0, message, case.inputs, case.expected, None)

    def _skipped(self, case: Case) -> CaseResult:
        return self._as(case, "time_limit", "not run: the whole check reached its time bound")

    def _lost(self, case: Case, gone: _ChildGone) -> CaseResult:
        if gone.timeout:
            res = self._as(case, "time_limit", f"took longer than {self.spec.seconds:g} s")
            res.time_ms = self.spec.seconds * 1000
            return res
        sig = self._child_signal()
        how = _signal_name(sig) if sig else "it exited"
        return self._as(case, "runtime_error", f"the answer killed the judging process ({how})")

    def _child_signal(self) -> int | None:
        """The signal that ended the runner, through bwrap's or unshare's way of reporting it."""
        if self.child is None:
            return None
        try:
            code = self.child.proc.wait(timeout=1)
        except Exception:
            return None
        if code < 0:
            return -code
        if self.child.mode == "bwrap" and code > 128:
            return code - 128
        return None

    # ------------------------------------------------------------ channel
    def _send(self, data: bytes) -> None:
        assert self.child is not None
        frame = len(data).to_bytes(4, "big") + data
        view = memoryview(frame)
        fd = self.child.to_child
        while view:
            try:
                if not select.select([], [fd], [], max(0.0, self.deadline - time.monotonic()))[1]:
                    raise _ChildGone(timeout=True)
                view = view[os.write(fd, view[: 1 << 16]):]
            except (BrokenPipeError, ConnectionResetError):
                raise _ChildGone(timeout=False) from None

    def _frame(self, deadline: float) -> bytes:
        assert self.child is not None
        from drill.judge._runner import FRAME_CAP

        buf = self._buf
        fd = self.child.from_child
        while True:
            if len(buf) >= 4:
                n = int.from_bytes(buf[:4], "big")
                if n > FRAME_CAP:
                    raise _ChildGone(timeout=False)
                if len(buf) >= 4 + n:
                    data = bytes(buf[4 : 4 + n])
                    del buf[: 4 + n]
                    return data
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise _ChildGone(timeout=True)
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise _ChildGone(timeout=False)
            buf += chunk


def _encode(case: Case) -> bytes | str:
    """A case's inputs for the wire, or why they cannot go."""
    try:
        return to_wire(case.inputs)
    except (Unsendable, TooLarge) as e:
        return str(e)


def _matches(spec: Spec, expected: Any, actual: Any) -> bool:
    kw: dict[str, Any] = {"rel_tol": spec.rel_tol, "abs_tol": spec.abs_tol, "unordered": spec.unordered}
    if spec.is_class:
        # Unordered applies to each call's return value, not to the list of calls.
        return (type(expected) is list and type(actual) in (list, tuple) and len(expected) == len(actual)
                and all(same(e, a, **kw) for e, a in zip(expected, actual, strict=True)))
    return same(expected, actual, **kw)


def _error_status(info: dict, spec: Spec) -> tuple[str, str]:
    name = str(info.get("error", "Exception"))
    text = str(info.get("message", ""))
    where = [f"line {info['line']}"] if type(info.get("line")) is int else []
    if info.get("call"):
        where.append(str(info["call"]))
    reason = f"{name}: {text}" if text else name
    if where:
        reason += f" ({', '.join(where)})"
    kind = info.get("kind")
    if kind == "memory":
        return "memory_limit", f"{reason}: over the {spec.memory_mb} MB memory limit"
    if kind == "output":
        return "output_limit", f"printed or wrote more than {spec.output_bytes >> 20} MB"
    return "runtime_error", reason


def _output_note(info: dict) -> str:
    tail = info.get("out_tail")
    if not isinstance(tail, str) or not tail.strip():
        return ""
    tail = tail.strip().replace("\r", "").replace("\n", " ⏎ ")
    return " | output: " + (tail if len(tail) <= 200 else "…" + tail[-199:])


def _num(v: Any, default: float = 0.0) -> float:
    return float(v) if type(v) in (int, float) and math.isfinite(v) else default


def _signal_name(sig: int | None) -> str:
    try:
        return signal.Signals(sig).name  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return f"signal {sig}"


def _signal_hint(sig: int) -> str:
    if sig == signal.SIGSEGV:
        return " (segmentation fault: often recursion too deep for the C stack)"
    if sig == signal.SIGXFSZ:
        return " (file size limit)"
    return ""


__all__ = ["Case", "SandboxError", "Spec", "judge_code", "judge_spec", "spec_for"]
