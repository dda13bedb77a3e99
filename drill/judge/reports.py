"""Reading the runner's reports into verdicts: nothing in them is trusted.

The runner shares a process with the answer's top-level code, so every field of its
reports is checked for type and bounded here before it can shape a verdict. Times are
not taken from it at all: a case's time is measured by the judging process (`wall`),
and what the runner says about time or CPU can only make a verdict worse.
"""

from __future__ import annotations

import math
import os
import signal

from drill.judge._runner import from_wire, parse
from drill.judge.mlcompare import mismatch
from drill.judge.spec import Case, Spec
from drill.judge.verdict import CaseResult, cut

TYPE_CHECKING = False  # typing only for type checkers: `drill check` has no time to import it
if TYPE_CHECKING:
    from typing import Any

VALUE_TYPES = "None, bool, int, float, str, list, tuple or dict with str keys"
SCORES = "it must return one finite number per row of test (a list, numpy array or pandas Series)"


MAX_SECONDS = 1e6  # no CPU time a runner reports is believed beyond this
MAX_SIZE = 1 << 62  # nor any size


def case_verdict(spec: Spec, case: Case, head: dict, payload_raw: bytes, *, wall: float,
                 late: bool = False, oom: bool = False) -> CaseResult:
    """One case's verdict from the runner's report (`head`) and the answer's payload.

    `wall` is the case's time as this process measured it, `late` whether its report
    came after the limit allowed, `oom` whether the kernel killed a process of the
    answer's cgroup for memory during it: facts the runner cannot change.
    """
    limit = f"{spec.seconds:g} s"
    cpu = num(head.get("cpu"), 0.0, MAX_SECONDS)
    status = wait_status(head.get("status"))
    out_size = num(head.get("out_size"), 0.0, MAX_SIZE)
    note = output_note(head)
    res = CaseResult(case.name, case.hidden, "internal_error", num(wall, 0.0, MAX_SECONDS) * 1000, "",
                     case.inputs, case.expected, None)
    payload: Any = None
    value = b""
    if payload_raw:
        # A returned value travels after the first newline (see _runner._grandchild).
        head_raw, _, value = payload_raw.partition(b"\n")
        try:
            payload = parse(head_raw)
        except ValueError:
            payload = "malformed"
    sig = os.WTERMSIG(status) if status is not None and os.WIFSIGNALED(status) else None
    internal = head.get("internal")
    if late or head.get("timeout") is True or cpu >= spec.seconds or (
        sig in (signal.SIGXCPU, signal.SIGKILL) and cpu >= math.ceil(spec.seconds) - 0.05
    ):
        res.status, res.message = "time_limit", f"took longer than {limit}"
        res.time_ms = max(res.time_ms, spec.seconds * 1000)
    elif oom:
        res.status = "memory_limit"
        res.message = (f"the whole answer (all its processes, {spec.memory_mb} MB + /tmp + the judge's own) "
                       "ran out of memory" + note)
    elif internal is not None:  # the runner could not run the case (e.g. no process to fork)
        res.message = f"the judge could not run this case: {internal if type(internal) is str else '?'}"
    elif head.get("memory") is True:  # macOS: the runner saw the case's resident memory pass the limit
        res.status = "memory_limit"
        res.message = f"used more than the {spec.memory_mb} MB memory limit"
    elif out_size >= spec.output_bytes:
        res.status = "output_limit"
        res.message = f"printed or wrote more than {spec.output_bytes >> 20} MB"
    elif isinstance(payload, dict) and "ok" in payload:
        try:
            res.actual = from_wire(value)
        except (ValueError, RecursionError):
            res.status, res.message = "runtime_error", "the answer garbled the judge's report"
            return res
        if spec.kind == "model":  # scored by the caller (drill.judge.takehome), not compared
            res.status = "passed"
            return res
        try:
            why = mismatch(spec, case.expected, res.actual)
        except ValueError as e:  # the expected value, not the answer
            res.message = cut(f"this case's expected value is malformed: {e}")
            return res
        res.status = "passed" if why is None else "wrong_answer"
        res.message = "" if why is None else why + note
    elif isinstance(payload, dict) and "build" in payload:
        res.message = cut(f"this case's input cannot be built: {payload['build']}")
    elif isinstance(payload, dict) and "bad" in payload:
        res.status = "wrong_answer"
        want = SCORES if spec.kind == "model" else f"return only {VALUE_TYPES}"
        what = "predict returned" if spec.kind == "model" else "returned"
        res.message = cut(f"{what} {text_field(payload, 'bad', 'a value it cannot send')}; {want}")
    elif isinstance(payload, dict) and "big" in payload:
        res.status, res.message = "output_limit", cut(f"the return value is too large ({text_field(payload, 'big', 'over the caps')})")
    elif isinstance(payload, dict) and "error" in payload:
        res.status, reason = error_status(payload, spec)
        res.message = cut(reason + note)
    elif sig is not None:
        res.status = "runtime_error"
        res.message = cut(f"crashed: {signal_name(sig)}{signal_hint(sig)}" + note)
    elif payload == "malformed":
        res.status, res.message = "runtime_error", "the answer garbled the judge's report"
    else:
        code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else "?"
        res.status = "runtime_error"
        res.message = cut(f"the answer ended the process (exit status {code}) before returning" + note)
    return res


def matches(spec: Spec, expected: Any, actual: Any) -> bool:
    """Whether `actual` is right (drill.judge.mlcompare.mismatch says why when it is not)."""
    return mismatch(spec, expected, actual) is None


def error_status(info: dict, spec: Spec) -> tuple[str, str]:
    name = text_field(info, "error", "Exception")
    text = text_field(info, "message")
    line = info.get("line")
    where = [f"line {line}"] if type(line) is int and 0 < line < 10**9 else []
    call = text_field(info, "call")
    if call:
        where.append(call)
    reason = f"{name}: {text}" if text else name
    if where:
        reason += f" ({', '.join(where)})"
    kind = info.get("kind")
    if kind == "memory":
        return "memory_limit", f"{reason}: over the {spec.memory_mb} MB memory limit"
    if kind == "output":
        return "output_limit", f"printed or wrote more than {spec.output_bytes >> 20} MB"
    return "runtime_error", reason


def output_note(info: dict) -> str:
    tail = info.get("out_tail")
    if not isinstance(tail, str) or not tail.strip():
        return ""
    tail = tail.strip().replace("\r", "").replace("\n", " ⏎ ")
    return " | output: " + (tail if len(tail) <= 200 else "…" + tail[-199:])


def num(v: Any, default: float = 0.0, high: float = MAX_SECONDS) -> float:
    """A number from a report, or `default` unless it is a finite int or float in [0, high]."""
    if type(v) is int:
        return float(v) if 0 <= v <= high else default
    if type(v) is float:
        return v if 0.0 <= v <= high else default  # NaN fails both comparisons
    return default


def wait_status(v: Any) -> int | None:
    """A wait status as waitpid gives it (16 bits), or None: os.WIFSIGNALED and friends
    overflow on anything larger."""
    return v if type(v) is int and 0 <= v <= 0xFFFF else None


def text_field(info: dict, key: str, default: str = "") -> str:
    """A string field of a report, cut to a readable length; anything else is `default`."""
    v = info.get(key)
    return cut(v, 2000) if type(v) is str else default


def signal_name(sig: int | None) -> str:
    try:
        return signal.Signals(sig).name  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return f"signal {sig}"


def signal_hint(sig: int) -> str:
    if sig == signal.SIGSEGV:
        return " (segmentation fault: often recursion too deep for the C stack)"
    if sig == signal.SIGXFSZ:
        return " (file size limit)"
    return ""
