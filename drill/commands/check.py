"""`drill check`: judge an answer file on a question's cases; `check` is the core, `render` shows it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from drill import ui
from drill.answerfile import ANSWER_CAP, read_answer  # noqa: F401 (drill check's API)
from drill.errors import InputError
from drill.judge.verdict import CheckResult

ANSWER_SUFFIX = {"code": ".py", "sql": ".sql", "model": ".py"}


def check_kind(summary, file: Path) -> None:
    """Refuse an answer file of the wrong kind (a .py for an sql question, a .sql or .yaml
    for a code question), before it is judged: judged, it would be recorded as a failure
    over the candidate's earlier pass. A name without a suffix (/dev/stdin) is let through."""
    want = ANSWER_SUFFIX[summary.kind]
    if file.suffix and file.suffix.lower() != want:
        raise InputError(f"'{summary.uid}' is a {summary.kind} question, whose answer is a {want} file, "
                         f"not {file.name}; nothing was judged or recorded")


def check(ref: str, file: Path, *, examples_only: bool = False, sandbox: str = "auto",
          extra: list[Path] | None = None, reveal: bool = False, catalog=None,
          meanwhile: Callable[[], object] | None = None,
          finish_later: list[Callable[[], None]] | None = None, part: int = 0) -> CheckResult:
    """Judge FILE on question REF (follow-up `part` k of it when k > 0); raises
    InputError/SandboxError for what cannot be judged.

    `catalog` is the loaded catalog when the caller has it already; `meanwhile` is run
    once, in a thread, while the runner works through the cases, and `finish_later`
    collects what ends the runner, for the caller to call once done (see judge.judge_spec).
    """
    from drill.judge.sandbox import MODES
    from drill.packs.catalog import load_catalog

    if sandbox not in MODES:
        raise InputError(f"--sandbox must be one of {', '.join(MODES)}, not '{sandbox}'")
    cat = catalog if catalog is not None else load_catalog(extra)
    ui.warn_problems(cat.problems)
    summary = cat.find(ref)
    if summary.kind not in ("code", "sql", "model"):
        article = "an" if summary.kind[0] in "aeiou" else "a"
        raise InputError(f"'{summary.uid}' is {article} {summary.kind} question; "
                         "drill check judges code, sql and model questions")
    if not summary.available:
        raise summary.unavailable_error()
    if part < 0 or (part and summary.kind != "code"):
        raise InputError(f"--part must be 0 or more, and only code questions have parts (not '{summary.uid}')")
    check_kind(summary, file)
    source = read_answer(file)
    if summary.kind == "model":
        if examples_only:
            raise InputError(f"'{summary.uid}' is a take-home (model) question: it has no visible examples; "
                             "run without --examples")
        return _check_model(cat, summary, source, sandbox, meanwhile, finish_later)

    from drill.judge import prelaunch

    if summary.kind == "sql":
        try:
            from drill.sql.judge import judge_sql_spec
        except ModuleNotFoundError as e:
            if e.name != "drill.sql.judge":
                raise
            raise InputError("SQL questions cannot be judged yet: this drill has no SQL judge (drill.sql.judge)") from None
        early = prelaunch.take_sql()
        try:
            spec = _sql_spec(cat, summary)
        except BaseException:
            if early is not None:
                early.stop()
            raise
        # As for code: what recording needs next is imported while the child works.
        warm = _thread(meanwhile) if meanwhile is not None else None
        try:
            return judge_sql_spec(spec, source, examples_only=examples_only, reveal=reveal, early=early)
        finally:
            if warm is not None:
                warm.join()
    from drill.judge import code as judge

    # The runner started before the command line was parsed (drill.judge.prelaunch), or starts
    # now, and boots while the question loads.
    launched = prelaunch.take(source, sandbox, bool(summary.requires))
    if launched is None:
        launched = judge.launch(source, sandbox, requires=bool(summary.requires))
    try:
        spec = _code_spec(cat, summary, part)
        if examples_only and not any(not c.hidden for c in spec.cases):
            raise InputError(f"'{summary.uid}' has no visible examples; run without --examples")
    except BaseException:
        launched.cancel()
        raise
    result, notes = judge.judge_spec(spec.only_examples() if examples_only else spec, source, sandbox, launched,
                                     meanwhile=meanwhile, finish_later=finish_later)
    for note in notes:
        sys.stderr.write(f"note: {ui.term_safe(note)}\n")
    return result


def _check_model(cat, summary, source: str, sandbox: str, meanwhile, finish_later) -> CheckResult:
    """Judge a take-home answer: fit and predict in the sandbox, the metric in this process."""
    from drill.judge import code as judge
    from drill.judge import prelaunch
    from drill.judge.takehome import DatasetError, judge_model, read_hidden
    from drill.packs.takehome import task_for

    # The runner (started before the command line was parsed, with the question's packages
    # importing) boots while the hidden period is read.
    launched = prelaunch.take(source, sandbox, True) or judge.launch(source, sandbox, requires=True)
    try:
        task = task_for(cat.load(summary.uid))
        hidden = read_hidden(task)
    except DatasetError as e:
        launched.cancel()
        raise InputError(f"'{summary.uid}' cannot be judged: {e.message}",
                         "The pack's dataset is broken; `drill packs validate` says more. Nothing was recorded.") from None
    except BaseException:
        launched.cancel()
        raise
    result, notes = judge_model(task, source, sandbox, launched, hidden=hidden, meanwhile=meanwhile,
                                finish_later=finish_later)
    for note in notes:
        sys.stderr.write(f"note: {ui.term_safe(note)}\n")
    return result


def run(uid: str, file: Path, *, examples: bool = False, json_out: bool = False, reveal: bool = False,
        sandbox: str = "auto", no_record: bool = False, part: int = 0, pack: list[Path] | None = None) -> int:
    """The `drill check` command: judge, show the result, record a full check; returns
    the exit code (0 passed, 1 failed). DrillErrors are the caller's to report."""
    from drill.packs.catalog import load_catalog

    recording = not (examples or no_record or part)
    cat = load_catalog(pack)
    # The runner ends (and is waited for, its folders removed) in a thread, while the
    # result is shown and recorded.
    finish: list[Callable[[], None]] = []
    ending = None
    try:
        result = check(uid, file, examples_only=examples, sandbox=sandbox, extra=pack, reveal=reveal,
                       catalog=cat, meanwhile=warm_record if recording else None,
                       finish_later=finish, part=part)
        ending, finish = _Ending(finish), []
        render(result, json_out=json_out, reveal=reveal)
        if recording:
            record_or_say(uid, file, result, pack, catalog=cat, quiet=json_out)
    finally:
        for done in finish:
            done()
        if ending is not None:
            ending.join()
    return 0 if result.verdict == "passed" else 1


class _Ending:
    """Calls `steps` in a thread now; `join` waits for them and raises what they raised."""

    def __init__(self, steps: list[Callable[[], None]]) -> None:
        import threading

        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(steps,), name="drill-check-ending", daemon=True)
        self.thread.start()

    def _run(self, steps: list[Callable[[], None]]) -> None:
        try:
            for step in steps:
                step()
        except BaseException as e:  # for join to raise in the caller's thread
            self.error = e

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


def record(ref: str, file: Path, result: CheckResult, extra: list[Path] | None = None,
           catalog=None) -> str | None:
    """Keep a full check (not an --examples run) as an attempt; returns when the question is due."""
    from datetime import UTC, datetime

    from drill.packs.catalog import load_catalog
    from drill.progress.record import record_attempt
    from drill.progress.store import Attempt, open_store
    from drill.session.clock import due_phrase

    summary = (catalog if catalog is not None else load_catalog(extra)).find(ref)
    now = datetime.now(UTC)
    # Untimed: no budget, so a pass rates Good rather than Easy (see docs/scheduling.md).
    attempt = Attempt.for_question(
        summary, started_at=now, ended_at=now, score=result.score, verdict=result.verdict,
        budget_seconds=None, cases=result.case_records(), answer=read_answer(file),
    )
    with open_store() as store:
        rec = record_attempt(store, attempt)
    return due_phrase(rec.due, now) if rec.due else None


def record_or_say(ref: str, file: Path, result: CheckResult, extra: list[Path] | None = None,
                  catalog=None, *, quiet: bool = False) -> bool:
    """`record`, for after the verdict is shown: if the store cannot take the attempt (a
    corrupt or foreign database, a full disk), say so and that the verdict stands, rather
    than fail the command; the exit code stays the verdict's. Returns whether it was kept."""
    from drill.errors import StoreError

    try:
        due = record(ref, file, result, extra, catalog=catalog)
    except StoreError as e:
        ui.error(e.message, e.detail)
        sys.stderr.write("This attempt was not recorded; the verdict above stands.\n")
        return False
    if due and not quiet:
        sys.stderr.write(f"Recorded; this question comes back {due}.\n")
    return True


def warm_record() -> None:
    """Import what `record` needs (the store, SQLite, FSRS: about as long as judging 25
    small cases), for `check`'s `meanwhile`; a failure here is `record`'s to report."""
    import importlib

    # fsrs: the scheduler, which recording imports on first use; interview: what a review
    # reads (the interview date).
    for name in ("drill.progress.record", "drill.progress.interview", "drill.session.clock", "fsrs"):
        try:
            importlib.import_module(name)
        except Exception:
            return
    try:  # and built once, as recording would build it first (about 1 ms)
        sys.modules["drill.progress.record"].scheduler(fuzz=True)
    except Exception:
        return


def _code_spec(cat, summary, part: int = 0):
    """The question's (or part's) judging spec, from the spec cache when its files have not changed."""
    from drill.judge import code as judge
    from drill.judge import speccache

    uid = f"{summary.uid}#part-{part}" if part else summary.uid
    spec = speccache.load(uid, summary.path)
    if spec is not None:
        return spec
    stamps = [speccache.stamp(summary.path)]
    loaded = cat.load(summary.uid).part(part)
    if loaded.question.tests_file:
        stamps.append(speccache.stamp(str(loaded.pack_path.parent / loaded.question.tests_file)))
    spec = judge.spec_for(loaded)
    speccache.save(spec, summary.path, stamps)
    return spec


def _thread(fn: Callable[[], object]):
    import contextlib
    import threading

    def work() -> None:
        with contextlib.suppress(Exception):  # it only warms caches; their users report errors
            fn()

    thread = threading.Thread(target=work, name="drill-check-meanwhile", daemon=True)
    thread.start()
    return thread


def _sql_spec(cat, summary):
    """The sql question's judging spec, from drill.sql.speccache when its pack has not changed."""
    from drill.judge.speccache import stamp
    from drill.sql import speccache
    from drill.sql.judge import spec_for

    spec = speccache.load(summary.uid, summary.path)
    if spec is None:
        stamps = [stamp(summary.path)]
        spec = spec_for(cat.load(summary.uid))
        speccache.save(spec, summary.path, stamps)
    return spec


# ---------------------------------------------------------------- rendering


def render(result: CheckResult, *, json_out: bool = False, reveal: bool = False) -> None:
    if json_out:
        ui.print_json(result.to_json())
        return
    from drill.render.check import check_text

    sys.stdout.write(check_text(result, reveal=reveal))
