"""Judging a Python answer to a `code` question on its cases, like an online judge.

The parent (this module) holds the expected values and never sends them anywhere: the
child (drill/judge/_runner.py, started by drill.judge.sandbox) imports the answer once, receives one
case's inputs at a time, runs it in a fresh fork and sends back a plain value, which is
compared here. A child that dies is replaced for the remaining cases.

Time is this process's: the answer's top-level code runs inside the runner and can make
it report anything, so each case is timed here, from sending its inputs to the arrival
of its report, and the runner is killed when a report is late. The runner gets one
case at a time (never the next before it has reported this one), so it cannot start a
case early, in parallel, and report it "fast".
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable

from drill.errors import SandboxError
from drill.judge import cgroup, sandbox
from drill.judge._runner import TooLarge, Unsendable, parse, to_wire
from drill.judge.channel import Channel, ChildGone
from drill.judge.reports import case_verdict, error_status, output_note, signal_name, text_field
from drill.judge.spec import Case, Spec, spec_for
from drill.judge.verdict import CaseResult, CheckResult, cut

SLACK = 0.25  # seconds a case's report may arrive after its limit (pipes, fork, a busy machine)
DECODE_RATE = 5e6  # bytes a second the runner is granted to read a case's inputs, beyond that
LOAD_SLACK = 0.5  # importing the answer gets its case limit plus this, then every case fails
READY_SECONDS = 5.0  # the runner's cleaning between cases; past it, a fresh runner takes over
WHOLE_CAP = 120.0  # seconds all cases together may take, however many there are
# Importing a question's `requires:` (pandas: about 0.25 s on a quiet machine) happens before
# the answer loads, under its own bound, so that it never counts against the answer's limit.
IMPORT_SECONDS = 20.0
# A `model` question's files go to the runner in frames of this size, and reading them into
# DataFrames (with the imports) is granted a second per DATA_RATE bytes beyond IMPORT_SECONDS.
DATA_CHUNK = 8 << 20
DATA_RATE = 2e6


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
               finish_later: list[Callable[[], None]] | None = None,
               stopper: Stopper | None = None) -> tuple[CheckResult, list[str]]:
    """Judge, and also return notes for the user (e.g. a fallback from bwrap).

    With `stop_at_failure`, judging ends at the first case that does not pass (the
    result then holds only the cases run): `drill packs audit` needs only that for a
    mutant, and a mutant that loops forever would otherwise pay the limit on every case.
    `meanwhile` is called once, in a thread, from the moment the runner is awaited: work
    the caller will need next (e.g. imports) then overlaps the runner's start and cases,
    while this thread goes on timing and judging them. With
    `finish_later`, a healthy runner is told to stop but not waited for: what waits for
    it (and everything it started) to end, and removes its folders, is appended there
    for the caller to call, e.g. after its own remaining work. A `stopper` lets another
    thread end the check at once (Stopper.stop); its result is then no verdict.
    """
    sandbox.resolve(requested)  # refuse an impossible mode before doing anything
    # Every case gets its whole limit even past WHOLE_CAP (a take-home's one case may take minutes).
    cases = sum(spec.seconds + 0.5 for _ in spec.cases)
    whole = sandbox.HELLO_SECONDS + spec.seconds + min(max(WHOLE_CAP, spec.seconds + 0.5), cases)
    whole += import_seconds(spec) if spec.requires else 0.0
    run = _Run(spec, source, requested, time.monotonic() + whole, launched)
    run.stop_at_failure = stop_at_failure
    run.meanwhile = meanwhile
    run.stopper = stopper
    try:
        results = run.all()
    finally:
        run.join_meanwhile()
        run.stop(finish_later)
        if launched is not None:
            launched.cancel()
    return CheckResult(spec.uid, run.mode or sandbox.resolve(requested), results, run.error,
                       bounds=run.bounds), run.notes


def import_seconds(spec: Spec) -> float:
    """How long the runner may take to import the question's packages (and read its data)."""
    return IMPORT_SECONDS + spec.data_bytes / DATA_RATE


class Stopper:
    """Lets another thread end a check at once (a round's "cancel" while it judges in the
    background): the runner and everything it started are killed, and no new one starts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._child: sandbox.Child | None = None
        self.stopped = False

    def attach(self, child: sandbox.Child | None) -> None:
        with self._lock:
            self._child = child
            if self.stopped and child is not None:
                _kill_now(child)

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            if self._child is not None:
                _kill_now(self._child)


def _kill_now(child: sandbox.Child) -> None:
    # The judging thread then sees the pipe close and cleans up (Child.close) as for any dead runner.
    with contextlib.suppress(OSError):
        os.killpg(child.proc.pid, signal.SIGKILL)
    sandbox.kill_marked(child.marker)


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
        self.channel: Channel | None = None
        self._healthy = True
        self._ready = False  # the runner said it is ready for a case
        self.stop_at_failure = False
        self.meanwhile: Callable[[], object] | None = None
        self._hook: threading.Thread | None = None
        self.bounds: str | None = None  # the weakest whole-tree bound of any runner used
        self.stopper: Stopper | None = None

    # ------------------------------------------------------------ the loop
    def all(self) -> list[CaseResult]:
        self._start_meanwhile()
        out: list[CaseResult] = []
        pending: deque[tuple[Case, bytes | str]] = deque((c, _encode(c)) for c in self.spec.cases)
        while pending:
            if self.stopper is not None and self.stopper.stopped:
                out += [self._as(c, "internal_error", "not run: the check was stopped") for c, _ in pending]
                break
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

        One case at a time: its inputs go only to a runner that said it is ready, and its
        time runs from sending them until its whole report is here. A report later than
        the case's limit plus SLACK (and a grace for reading large inputs) is a time
        limit, and a runner that has not reported by then is killed; a fresh one takes
        the remaining cases.
        """
        while pending:
            case, wire = pending[0]
            if isinstance(wire, str):  # inputs the wire cannot carry: a verdict in its turn
                pending.popleft()
                out.append(self._as(case, "internal_error", f"this case's input cannot be sent to the answer: {wire}"))
                continue
            try:
                self._await_ready()
            except ChildGone:
                self._healthy = False  # no case is lost: the next runner takes this one
                self.stop()
                return
            allowed = self.spec.seconds + SLACK + len(wire) / DECODE_RATE
            sent = time.monotonic()
            try:
                self._channel().send(wire)
                res = self._receive(case, sent, allowed)
            except ChildGone as gone:
                pending.popleft()
                out.append(self._lost(case, gone, time.monotonic() - sent))
                self._healthy = False
                self.stop()
                return
            pending.popleft()
            out.append(res)
            if self.stop_at_failure and not res.passed:
                return

    def _await_ready(self) -> None:
        if self._ready:
            return
        msg = self._channel().frame(min(time.monotonic() + READY_SECONDS, self.deadline))
        try:
            info = parse(msg)
        except ValueError:
            info = None
        if not isinstance(info, dict) or info.get("ready") is not True:
            raise ChildGone(timeout=False)
        self._ready = True

    def _start_meanwhile(self) -> None:
        """Run the caller's `meanwhile` in a thread, once, while the runner works: this
        thread keeps reading reports (and so timing cases) as they come."""
        if self.meanwhile is None:
            return
        hook, self.meanwhile = self.meanwhile, None
        previous = sys.getswitchinterval()
        # Short slices while both run: a report is then read within about a millisecond.
        sys.setswitchinterval(min(previous, 0.0005))

        def work() -> None:
            try:
                hook()
            except Exception:
                pass  # the hook only warms caches; whoever needs them reports their errors
            finally:
                sys.setswitchinterval(previous)

        self._hook = threading.Thread(target=work, name="drill-judge-meanwhile", daemon=True)
        self._hook.start()

    def join_meanwhile(self) -> None:
        if self._hook is not None:
            self._hook.join()
            self._hook = None

    def stop(self, finish_later: list[Callable[[], None]] | None = None) -> None:
        if self.stopper is not None:
            self.stopper.attach(None)
        if self.child is not None:
            if finish_later is not None and self._healthy:
                self.child.begin_close()
                finish_later.append(self.child.close)
            else:
                # A runner that went silent or died gets no chance to clean up after itself.
                self.child.close(graceful=self._healthy)
            self.child = None
        self._healthy = True
        self._ready = False
        self.channel = None

    def _boot(self) -> tuple[str, str] | None:
        """Start a runner and load the answer; a (status, message) for every case if that fails."""
        spec = self.spec
        configured: sandbox.Child | None = None
        try:
            if self.launched is not None:
                launched, self.launched = self.launched, None
                if launched.child is not None and not spec.data:
                    # The question is known while the runner still boots (it was started
                    # first): its config waits in the pipe, so the answer loads the moment
                    # the runner is up, not a round trip after its hello.
                    self._bound(launched.child)
                    configured = self._configure(launched.child)
                child = launched.ready()
            else:
                child = sandbox.start(self.requested, self.source, self.paths)
        except sandbox.SandboxBusy as e:
            # The sandbox works here but could not be had now: never a weaker one instead.
            return "internal_error", cut(f"the judge could not start: {e.message}")
        self.child = child
        if self.stopper is not None:
            self.stopper.attach(child)
        if self.mode is None:
            self.notes += child.notes
            # A replacement runner must not retry (and report again) a bwrap that failed.
            self.requested = "bwrap" if child.mode == "bwrap" else "none"
        self.mode = child.mode
        if configured is not child:  # started now, or a replacement of the early one
            self._bound(child)
        if self.bounds is None or child.bounds == cgroup.RLIMIT:
            self.bounds = child.bounds
        try:
            if configured is not child:
                self._configure(child, strict=True)
            for _name, blob, _gz in spec.data:
                for at in range(0, len(blob), DATA_CHUNK):
                    self._channel().send(blob[at:at + DATA_CHUNK])
            if spec.requires:
                failed = self._imported()
                if failed is not None:
                    return failed
            msg = self._channel().frame(time.monotonic() + spec.seconds + LOAD_SLACK)
        except ChildGone as gone:
            self._healthy = False
            return self._load_death(gone)
        try:
            info = parse(msg)
        except ValueError:
            info = None
        if not isinstance(info, dict):
            return "runtime_error", "the answer garbled the judge's channel while loading"
        if info.get("ready") is True:
            self._ready = True
            return None
        if self._new_oom():
            return "memory_limit", self._memory_message("while loading")
        return self._load_failure(info)

    def _bound(self, child: sandbox.Child) -> None:
        """Bound the runner's group to the question's memory (before any code of the answer
        runs); on failure `bounds` says rlimit: the per-process limits still hold."""
        if child.group is not None:
            with contextlib.suppress(OSError):
                child.group.set_memory(cgroup.tree_limit(self.spec.memory_mb, sandbox.SANDBOX_TMP_BYTES))

    def _configure(self, child: sandbox.Child, strict: bool = False) -> sandbox.Child | None:
        """Send the runner the question's config (limits, entry point, packages), which it
        reads after its hello, and loads the answer only then: its group is to be bounded
        (`_bound`) first. Returns `child`; a runner gone already is None (`Launch.ready`'s to
        replace, when sent early), or ChildGone when `strict`."""
        spec = self.spec
        cfg = {
            "entry": spec.entry, "is_class": spec.is_class, "seconds": spec.seconds,
            "memory": spec.memory_mb << 20, "output": spec.output_bytes,
            "nproc": sandbox.nproc_limit(child.mode),
            "cpu_total": math.ceil(max(1.0, self.deadline - time.monotonic())) + 2,
            "paths": self.paths,
            "requires": spec.requires, "arguments": spec.arguments,
        }
        if spec.kind == "model":
            cfg.update(model=True, entries=spec.entries,
                       data=[{"name": name, "size": len(blob), "gzip": gz} for name, blob, gz in spec.data])
        import json

        self.channel = Channel(child.to_child, child.from_child, self.deadline)
        try:
            self.channel.send(json.dumps(cfg, allow_nan=False).encode())
        except ChildGone:
            self.channel = None
            if strict:
                raise
            return None
        return child

    def _imported(self) -> tuple[str, str] | None:
        """Wait for the runner to import the question's `requires:` (before the answer loads);
        a (status, message) for every case if it could not."""
        import json

        bound = import_seconds(self.spec)
        try:
            msg = self._channel().frame(min(time.monotonic() + bound, self.deadline))
        except ChildGone as gone:
            self._healthy = False
            why = f"no answer within {bound:g} s" if gone.timeout else "the runner exited"
            msg = json.dumps({"message": why}).encode()
        try:
            info = parse(msg)
        except ValueError:
            info = None
        if isinstance(info, dict) and info.get("imported") is True:
            return None
        reason = info.get("message") if isinstance(info, dict) else None
        what = ("read the dataset" if isinstance(info, dict) and info.get("load") == "data"
                else f"import {', '.join(self.spec.requires)}")
        self.error = cut(f"the judge could not {what} for the answer: "
                         f"{reason if isinstance(reason, str) else 'no report'}")
        return "internal_error", self.error

    def _load_death(self, gone: ChildGone) -> tuple[str, str]:
        limit = f"{self.spec.seconds:g} s"
        if not gone.timeout and self._new_oom():
            return "memory_limit", self._memory_message("while loading")
        if gone.timeout:
            return "time_limit", f"the answer did not finish loading within {limit}"
        sig = self._child_signal()
        if sig in (signal.SIGXCPU, signal.SIGKILL):
            return "time_limit", f"the answer did not finish loading within {limit}"
        return "runtime_error", f"the answer crashed while loading ({signal_name(sig) if sig else 'it exited'})"

    def _load_failure(self, info: dict) -> tuple[str, str]:
        kind = info.get("load")
        if kind == "syntax_error":
            line = info.get("line")
            where = f" (line {line})" if type(line) is int and 0 < line < 10**9 else ""
            self.error = cut(f"{text_field(info, 'error', 'SyntaxError')}: {text_field(info, 'message')}{where}")
            return "syntax_error", self.error
        if kind == "missing":
            self.error = cut(text_field(info, "message"))
            return "runtime_error", self.error
        status, reason = error_status(info, self.spec)
        self.error = cut(f"while loading: {reason}" + output_note(info))
        return status, self.error

    # ------------------------------------------------------------ one case
    def _receive(self, case: Case, sent: float, allowed: float) -> CaseResult:
        """The case's report, due `allowed` seconds after its inputs were `sent`."""
        wait_until = min(sent + allowed, self.deadline)
        head_raw = self._channel().frame(wait_until)
        payload_raw = self._channel().frame(wait_until)
        wall = time.monotonic() - sent  # this process's clock: the only one trusted
        self._ready = False
        oom = self._new_oom()
        try:
            head = parse(head_raw)
        except ValueError:
            head = None
        if not isinstance(head, dict):
            res = self._as(case, "runtime_error", "the answer garbled the judge's report")
            res.time_ms = wall * 1000
            return res
        res = case_verdict(self.spec, case, head, payload_raw, wall=wall, late=wall > allowed, oom=oom)
        res.message = cut(res.message)  # the answer's own words and output, made harmless
        return res

    def _new_oom(self) -> bool:
        """Whether the kernel killed a process of this runner's cgroup for memory since
        the last call (it counts; the runner cannot forge that)."""
        group = self.child.group if self.child is not None else None
        return group is not None and group.limited and group.new_oom_kills()

    def _memory_message(self, when: str = "") -> str:
        what = f"the whole answer (all its processes, {self.spec.memory_mb} MB + /tmp + the judge's own)"
        return f"{when + ': ' if when else ''}{what} ran out of memory"

    def _channel(self) -> Channel:
        assert self.channel is not None
        return self.channel

    def _as(self, case: Case, status: str, message: str) -> CaseResult:
        return CaseResult(case.name, case.hidden, status, 0.0, message, case.inputs, case.expected, None)

    def _skipped(self, case: Case) -> CaseResult:
        return self._as(case, "time_limit", "not run: the whole check reached its time bound")

    def _lost(self, case: Case, gone: ChildGone, wall: float) -> CaseResult:
        if gone.timeout:
            res = self._as(case, "time_limit", f"took longer than {self.spec.seconds:g} s")
            res.time_ms = max(wall, self.spec.seconds) * 1000
            return res
        if self._new_oom():
            res = self._as(case, "memory_limit", self._memory_message())
            res.time_ms = wall * 1000
            return res
        sig = self._child_signal()
        how = signal_name(sig) if sig else "it exited"
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

def _encode(case: Case) -> bytes | str:
    """A case's inputs for the wire, or why they cannot go."""
    if case.wire is not None:
        return case.wire
    try:
        return to_wire(case.inputs)
    except (Unsendable, TooLarge) as e:
        return str(e)


__all__ = ["Case", "SandboxError", "Spec", "judge_code", "judge_spec", "spec_for"]
