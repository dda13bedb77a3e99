"""`drill check`: judge an answer file on a question's cases; `check` is the core, `render` shows it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drill import ui
from drill.errors import InputError
from drill.judge.verdict import CheckResult, cut

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
        raise InputError(f"'{summary.uid}' needs {', '.join(summary.requires)}, which this Python cannot import")
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
    launched = None if summary.requires else prelaunch.take(source, sandbox)
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
# Plain text, not rich: `drill check` runs in a loop while one works on an answer, and
# importing rich would cost more than judging a small answer.


def render(result: CheckResult, *, json_out: bool = False, reveal: bool = False) -> None:
    if json_out:
        ui.print_json(result.to_json())
        return
    import shutil

    out: list[str] = []
    rows = [[cut(c.name, 40) + ("" if c.hidden else " (example)"), c.status, _ms(c.time_ms), c.message]
            for c in result.cases]
    out.append(ui.plain_table(["case", "verdict", "time", "reason"], rows, right={2}).rstrip("\n"))
    width = shutil.get_terminal_size((120, 24)).columns
    room = width - sum(max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(["case", "verdict", "time"])) - 6
    for c in result.cases:
        if c.passed or c.status == "syntax_error":
            continue
        if not c.hidden or reveal:
            out += _details(c, result)
        elif len(c.message) > room:
            out += ["", f"{c.name} ({c.status})", f"  {c.message}"]
    mark = "passed" if result.verdict == "passed" else "failed"
    if ui.color_enabled():
        mark = f"\033[1;{32 if mark == 'passed' else 31}m{mark}\033[0m"
    out += ["", f"{mark}: {result.passed}/{result.total} cases (sandbox: {result.sandbox})"]
    if result.error and any(c.status == "syntax_error" for c in result.cases):
        out.append(f"  {result.error}")
    if not reveal and result.error is None and any(c.hidden and not c.passed for c in result.cases):
        out.append("Hidden cases show no inputs; `--reveal` shows them after the fact.")
    sys.stdout.write("\n".join(out) + "\n")


def _details(c, result: CheckResult) -> list[str]:
    lines = ["", f"{cut(c.name, 40)} ({c.status})"]
    if c.message and c.status != "wrong_answer":
        lines.append(f"  {c.message}")
    if result.sandbox == "sqlite":
        return lines + _sql_sides(c)
    lines.append(f"  input:    {_call_text(c.input)}")
    lines.append(f"  expected: {_value(c.expected)}")
    if c.status in ("passed", "wrong_answer"):
        lines.append(f"  actual:   {_value(c.actual)}")
        if c.message != "wrong answer":
            lines.append(f"  {c.message}")
    return lines


def _sql_sides(c) -> list[str]:
    if c.expected is None and c.actual is None:
        return ["  (the SQL judge keeps this dataset's rows private)"]
    blocks = [_rows_block(title, rows) for title, rows in (("expected", c.expected), ("actual", c.actual))]
    left_w = max(len(x) for x in blocks[0])
    n = max(len(b) for b in blocks)
    blocks = [b + [""] * (n - len(b)) for b in blocks]
    return ["  " + f"{a:<{left_w}}    {b}".rstrip() for a, b in zip(*blocks, strict=True)]


def _rows_block(title: str, rows) -> list[str]:
    if not isinstance(rows, list) or not rows:
        return [title, "(no rows)"]
    cells = [[cut("NULL" if v is None else str(v), 40) for v in (r if isinstance(r, list | tuple) else [r])]
             for r in rows[:20]]
    ncol = max(len(r) for r in cells)
    widths = [max(len(r[i]) if i < len(r) else 0 for r in cells) for i in range(ncol)]
    lines = [title] + ["  ".join(v.ljust(widths[i]) for i, v in enumerate(r)).rstrip() for r in cells]
    if len(rows) > 20:
        lines.append(f"… {len(rows) - 20} more rows")
    return lines


def _ms(ms: float) -> str:
    return f"{ms:.1f} ms" if ms < 10 else f"{ms:.0f} ms"


def _value(v: Any, limit: int = 300) -> str:
    try:
        text = json.dumps(v, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(v)
    return cut(text, limit)


def _call_text(inputs: Any) -> str:
    if not isinstance(inputs, dict):
        return _value(inputs)
    if "calls" in inputs:
        parts = [f"{m}({', '.join(_value(a, 80) for a in args)})" for m, args in inputs["calls"] or []]
        return cut(" → ".join(parts), 400)
    args = [_value(a, 120) for a in inputs.get("args") or []]
    args += [f"{k}={_value(v, 120)}" for k, v in (inputs.get("kwargs") or {}).items()]
    return cut(f"({', '.join(args)})", 400)
