"""Reading the runner's reports into verdicts: nothing in them is trusted.

The runner shares a process with the answer's top-level code, so every field of its
reports is checked for type and bounded here before it can shape a verdict.
"""

from __future__ import annotations

import math
import os
import signal
from typing import Any

from drill.judge._runner import parse, untag
from drill.judge.mlcompare import mismatch
from drill.judge.spec import Case, Spec
from drill.judge.verdict import CaseResult, cut

VALUE_TYPES = "None, bool, int, float, str, list, tuple or dict with str keys"


def case_verdict(spec: Spec, case: Case, head: dict, payload_raw: bytes) -> CaseResult:
    """One case's verdict from the runner's report (`head`) and the answer's payload."""
    limit = f"{spec.seconds:g} s"
    wall = num(head.get("wall"))
    cpu = num(head.get("cpu"))
    status = head.get("status")
    status = status if type(status) is int else None
    out_size = num(head.get("out_size"))
    note = output_note(head)
    res = CaseResult(case.name, case.hidden, "internal_error", wall * 1000, "",
                     case.inputs, case.expected, None)
    payload: Any = None
    if payload_raw:
        try:
            payload = parse(payload_raw)
        except ValueError:
            payload = "malformed"
    if isinstance(payload, dict):
        t = num(payload.get("time"), -1.0)
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
        res.message = cut(f"returned {payload['bad']}; return only {VALUE_TYPES}")
    elif isinstance(payload, dict) and "big" in payload:
        res.status, res.message = "output_limit", cut(f"the return value is too large ({payload['big']})")
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


def output_note(info: dict) -> str:
    tail = info.get("out_tail")
    if not isinstance(tail, str) or not tail.strip():
        return ""
    tail = tail.strip().replace("\r", "").replace("\n", " ⏎ ")
    return " | output: " + (tail if len(tail) <= 200 else "…" + tail[-199:])


def num(v: Any, default: float = 0.0) -> float:
    return float(v) if type(v) in (int, float) and math.isfinite(v) else default


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
