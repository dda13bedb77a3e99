"""`drill check`: judge an answer file on a question's cases; `check` is the core, `render` shows it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from drill import ui
from drill.errors import InputError
from drill.verdict import CheckResult, cut

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
          extra: list[Path] | None = None) -> CheckResult:
    """Judge FILE on question REF; raises InputError/SandboxError for what cannot be judged."""
    from drill.catalog import load_catalog
    from drill.sandbox import MODES

    if sandbox not in MODES:
        raise InputError(f"--sandbox must be one of {', '.join(MODES)}, not '{sandbox}'")
    cat = load_catalog(extra)
    ui.warn_problems(cat.problems)
    summary = cat.find(ref)
    if summary.kind not in ("code", "sql"):
        raise InputError(f"'{summary.uid}' is a {summary.kind} question; drill check judges code and sql questions")
    if not summary.available:
        raise InputError(f"'{summary.uid}' needs {', '.join(summary.requires)}, which this Python cannot import")
    source = read_answer(file)
    if summary.kind == "sql":
        try:
            from drill.sqljudge import judge_sql
        except ModuleNotFoundError as e:
            if e.name != "drill.sqljudge":
                raise
            raise InputError("SQL questions cannot be judged yet: this drill has no SQL judge (drill.sqljudge)") from None
        return judge_sql(cat.load(ref), source, examples_only=examples_only)
    from drill import judge

    result, notes = judge.judge_spec(judge.spec_for(cat.load(ref), examples_only=examples_only), source, sandbox)
    for note in notes:
        note_line(note)
    return result


def note_line(message: str) -> None:
    from rich.markup import escape

    ui.err().print(f"[dim]note:[/] {escape(message)}", soft_wrap=True)


# ---------------------------------------------------------------- rendering

STYLE = {"passed": "green", "wrong_answer": "red", "syntax_error": "red", "internal_error": "magenta"}


def render(result: CheckResult, *, json_out: bool = False, reveal: bool = False, console=None) -> None:
    if json_out:
        ui.print_json(result.to_json())
        return
    from rich.markup import escape
    from rich.table import Table

    con = console or ui.out()
    t = Table(box=None, header_style="bold", pad_edge=False)
    t.add_column("case", no_wrap=True)
    t.add_column("verdict", no_wrap=True)
    t.add_column("time", justify="right", no_wrap=True)
    t.add_column("reason")
    for c in result.cases:
        style = STYLE.get(c.status, "yellow")
        t.add_row(escape(c.name) + ("" if c.hidden else " [dim](example)[/]"),
                  f"[{style}]{c.status}[/]", _ms(c.time_ms), escape(c.message))
    con.print(t)
    shown = [c for c in result.cases if not c.passed and (not c.hidden or reveal) and c.status != "syntax_error"]
    for c in shown:
        _details(c, result, con)
    colour = "green" if result.verdict == "passed" else "red"
    con.print(f"[bold {colour}]{result.verdict}[/]: {result.passed}/{result.total} cases "
              f"[dim](sandbox: {result.sandbox})[/]")
    hidden_failed = sum(1 for c in result.cases if c.hidden and not c.passed)
    if hidden_failed and not reveal and result.error is None:
        con.print("[dim]Hidden cases show no inputs; `--reveal` shows them after the fact.[/]")


def _details(c, result: CheckResult, con) -> None:
    from rich.markup import escape

    con.print(f"\n[bold]{escape(c.name)}[/] [dim]({c.status})[/]")
    if result.sandbox == "sqlite":
        _sql_details(c, con)
        return
    con.print(f"  input:    {escape(_call_text(c.input))}", soft_wrap=True)
    con.print(f"  expected: {escape(_value(c.expected))}", soft_wrap=True)
    if c.status in ("passed", "wrong_answer"):
        con.print(f"  actual:   {escape(_value(c.actual))}", soft_wrap=True)


def _sql_details(c, con) -> None:
    from rich.markup import escape
    from rich.table import Table

    if c.expected is None and c.actual is None:
        con.print("  [dim]the SQL judge keeps this dataset's rows private[/]")
        return
    inner = []
    for rows in (c.expected, c.actual):
        t = Table(box=None, show_header=False, pad_edge=False)
        if isinstance(rows, list) and rows:
            for row in rows[:20]:
                cells = row if isinstance(row, list | tuple) else [row]
                t.add_row(*[escape(cut("NULL" if v is None else str(v), 40)) for v in cells])
            if len(rows) > 20:
                t.add_row(f"[dim]… {len(rows) - 20} more rows[/]")
        else:
            t.add_row("[dim](no rows)[/]")
        inner.append(t)
    sides = Table(box=None, pad_edge=False, header_style="bold", padding=(0, 4, 0, 0))
    sides.add_column("expected")
    sides.add_column("actual")
    sides.add_row(*inner)
    con.print(sides)


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
