"""`drill check`: judge an answer file on a question's cases; `check` is the core, `render` shows it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from drill import ui
from drill.errors import InputError
from drill.judge.verdict import CheckResult

ANSWER_CAP = 1 << 20  # an answer file larger than this is surely not an answer


def read_answer(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not an answer file") from None
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from None
    if len(raw) > ANSWER_CAP:
        raise InputError(f"{path} is {len(raw) >> 10} KB; an answer file may be at most {ANSWER_CAP >> 10} KB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    return text.removeprefix("\ufeff")


def check(ref: str, file: Path, *, examples_only: bool = False, sandbox: str = "auto",
          extra: list[Path] | None = None, reveal: bool = False, catalog=None,
          meanwhile: Callable[[], object] | None = None,
          finish_later: list[Callable[[], None]] | None = None) -> CheckResult:
    """Judge FILE on question REF; raises InputError/SandboxError for what cannot be judged.

    `catalog` is the loaded catalog when the caller has it already; `meanwhile` is run
    once while the runner works through a code question's cases, and `finish_later`
    collects what ends the runner, for the caller to call once done (see judge.judge_spec).
    """
    from drill.judge.sandbox import MODES
    from drill.packs.catalog import load_catalog

    if sandbox not in MODES:
        raise InputError(f"--sandbox must be one of {', '.join(MODES)}, not '{sandbox}'")
    cat = catalog if catalog is not None else load_catalog(extra)
    ui.warn_problems(cat.problems)
    summary = cat.find(ref)
    if summary.kind not in ("code", "sql"):
        raise InputError(f"'{summary.uid}' is a {summary.kind} question; drill check judges code and sql questions")
    if not summary.available:
        raise summary.unavailable_error()
    source = read_answer(file)
    if summary.kind == "sql":
        try:
            from drill.sql.judge import judge_sql
        except ModuleNotFoundError as e:
            if e.name != "drill.sql.judge":
                raise
            raise InputError("SQL questions cannot be judged yet: this drill has no SQL judge (drill.sql.judge)") from None
        return judge_sql(cat.load(ref), source, examples_only=examples_only, reveal=reveal)
    from drill.judge import code as judge
    from drill.judge import prelaunch

    # The runner started before the command line was parsed (drill.judge.prelaunch), or starts
    # now, and boots while the question loads.
    launched = prelaunch.take(source, sandbox, bool(summary.requires))
    if launched is None:
        launched = judge.launch(source, sandbox, requires=bool(summary.requires))
    try:
        spec = _code_spec(cat, summary)
        if examples_only and not any(not c.hidden for c in spec.cases):
            raise InputError(f"'{summary.uid}' has no visible examples; run without --examples")
    except BaseException:
        launched.cancel()
        raise
    result, notes = judge.judge_spec(spec.only_examples() if examples_only else spec, source, sandbox, launched,
                                     meanwhile=meanwhile, finish_later=finish_later)
    for note in notes:
        sys.stderr.write(f"note: {note}\n")
    return result


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
        budget_seconds=None, cases=[c.to_json() for c in result.cases], answer=read_answer(file),
    )
    with open_store() as store:
        rec = record_attempt(store, attempt)
    return due_phrase(rec.due, now) if rec.due else None


def warm_record() -> None:
    """Import what `record` needs (the store, SQLite, FSRS: about as long as judging 25
    small cases), for `check`'s `meanwhile`; a failure here is `record`'s to report."""
    import importlib

    # fsrs: the scheduler, which recording imports on first use.
    for name in ("drill.progress.record", "drill.session.clock", "fsrs"):
        try:
            importlib.import_module(name)
        except Exception:
            return


def _code_spec(cat, summary):
    """The question's judging spec, from the spec cache when its files have not changed."""
    from drill.judge import code as judge
    from drill.judge import speccache

    spec = speccache.load(summary.uid, summary.path)
    if spec is not None:
        return spec
    stamps = [speccache.stamp(summary.path)]
    loaded = cat.load(summary.uid)
    if loaded.question.tests_file:
        stamps.append(speccache.stamp(str(loaded.pack_path.parent / loaded.question.tests_file)))
    spec = judge.spec_for(loaded)
    speccache.save(spec, summary.path, stamps)
    return spec


# ---------------------------------------------------------------- rendering


def render(result: CheckResult, *, json_out: bool = False, reveal: bool = False) -> None:
    if json_out:
        ui.print_json(result.to_json())
        return
    from drill.render.check import check_text

    sys.stdout.write(check_text(result, reveal=reveal))
