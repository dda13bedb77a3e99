"""A check's result as plain text: `drill check` and the round screen's results pane.

Plain text, not rich: `drill check` runs in a loop while one works on an answer, and
importing rich would cost more than judging a small answer.
"""

from __future__ import annotations

import json

from drill import ui
from drill.judge.verdict import CheckResult, cut

TYPE_CHECKING = False  # typing only for type checkers: `drill check` has no time to import it
if TYPE_CHECKING:
    from typing import Any


def check_text(result: CheckResult, *, reveal: bool = False, width: int | None = None) -> str:
    """Per-case table, failing examples (and revealed cases) in detail, and the verdict.

    An answer that failed as a whole (a syntax error, a refused SQL statement, a crash
    while loading) is reported once, not on every case row. Everything from the answer or
    the pack is terminal-safe: `cut` and `ui.term_safe` show control characters escaped.
    """
    import shutil

    if result.model is not None:
        return model_text(result)
    out: list[str] = []
    whole = _whole_answer_error(result)
    if whole is not None:
        status, message = whole
        n = len(result.cases)
        out += [f"{status}: the answer failed as a whole, so none of its {n} case{'s' if n != 1 else ''} ran:",
                f"  {_safe(message)}"]
    else:
        rows = [[_line(cut(c.name, 40)) + ("" if c.hidden else " (example)"), c.status, _ms(c.time_ms),
                 _line(c.message)] for c in result.cases]
        out.append(ui.plain_table(["case", "verdict", "time", "reason"], rows, right={2}).rstrip("\n"))
        width = width or shutil.get_terminal_size((120, 24)).columns
        room = width - sum(max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(["case", "verdict", "time"])) - 6
        for c in result.cases:
            if c.passed or c.status == "syntax_error":
                continue
            if not c.hidden or reveal:
                out += _details(c, result)
            elif len(c.message) > room:
                out += ["", f"{_line(c.name)} ({c.status})", f"  {_safe(c.message)}"]
    mark = "passed" if result.verdict == "passed" else "failed"
    if ui.color_enabled():
        mark = f"\033[1;{32 if mark == 'passed' else 31}m{mark}\033[0m"
    # Never "failed: 20/22" (failed twenty?): say how many passed, in words.
    counted = (f"all {result.total} cases" if result.verdict == "passed"
               else f"{result.passed} of {result.total} cases passed")
    out += ["", f"{mark}: {counted} (sandbox: {result.sandbox})"]
    if whole is None and result.error and any(c.status == "syntax_error" for c in result.cases):
        out.append(f"  {_safe(result.error)}")
    if not reveal and result.error is None and any(c.hidden and not c.passed for c in result.cases):
        out.append("Hidden cases show no inputs; `--reveal` shows them after the fact.")
    return "\n".join(out) + "\n"


def model_text(result: CheckResult) -> str:
    """A take-home's result: what happened to fit and predict, the metric against baseline
    and target, the breakdown tables, and the verdict."""
    o = result.model
    assert o is not None
    case = result.cases[0] if result.cases else None
    out: list[str] = []
    params = o.params
    about = o.metric
    if "budget_per_day" in params:
        about += f", {params['budget_per_day']} alerts a day"
    if "threshold" in params:
        about += f", alert at score >= {params['threshold']:g}"
    if "costs" in params:
        about += f", costs fp {params['costs'].get('fp', 0):g} fn {params['costs'].get('fn', 0):g}"
    about += "" if o.higher_is_better else " (lower is better)"
    when = f" in {_seconds(case.time_ms)}" if case is not None and case.time_ms else ""
    out.append(f"take-home {_line(result.question)}: fit and predict on {o.rows:,} hidden rows{when}")
    rows = [["metric", about], ["answer", _num(o.value)],
            ["baseline", _num(o.baseline)],
            ["target", f"{_num(o.target)} (passes at {'>=' if o.higher_is_better else '<='} {_num(o.bar)})"]]
    if o.value is not None:
        rows.append(["score", f"{o.score:.0%} of the way from the baseline to the target"])
    width = max(len(r[0]) for r in rows)
    out += [f"  {k.ljust(width)}  {_line(v)}" for k, v in rows]
    for table in o.breakdown:
        out += ["", _line(table.name)]
        cells = [[_line(s.value) or "(blank)", f"{s.rows:,}", f"{s.positives:,}", _num(s.metric)] for s in table.segments]
        text = ui.plain_table([_line(table.by), "rows", "positives", _line(table.metric)], cells, right={1, 2, 3})
        out += ["  " + line for line in text.rstrip("\n").split("\n")]
        if table.more:
            out.append(f"  … and {table.more} smaller segment{'s' if table.more != 1 else ''}")
    mark = "passed" if result.verdict == "passed" else "failed"
    if ui.color_enabled():
        mark = f"\033[1;{32 if mark == 'passed' else 31}m{mark}\033[0m"
    why = case.message if case is not None else (result.error or "not judged")
    status = "" if case is None or case.status in ("passed", "wrong_answer") else f" ({case.status})"
    out += ["", f"{mark}{status}: {_safe(why)} (sandbox: {result.sandbox})"]
    return "\n".join(out) + "\n"


def _num(v: float | None) -> str:
    if v is None or v != v:
        return "n/a"
    return f"{v:.4f}" if abs(v) < 1000 else f"{v:,.1f}"


def _seconds(ms: float) -> str:
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


def _whole_answer_error(result: CheckResult) -> tuple[str, str] | None:
    """(status, message) when every case failed with the answer's one error, else None."""
    if not result.error or not result.cases:
        return None
    first = result.cases[0]
    if all(c.status == first.status and c.message == first.message and not c.passed for c in result.cases):
        return first.status, result.error
    return None


def _safe(text: str) -> str:
    return ui.term_safe(text)


def _line(text: str) -> str:
    return ui.term_safe(text, keep_newlines=False)


def _details(c, result: CheckResult) -> list[str]:
    lines = ["", f"{_line(cut(c.name, 40))} ({c.status})"]
    if c.message and c.status != "wrong_answer":
        lines.append(f"  {_safe(c.message)}")
    if result.sandbox == "sqlite":
        return lines + _sql_sides(c)
    lines.append(f"  input:    {_call_text(c.input)}")
    lines.append(f"  expected: {_value(c.expected)}")
    if c.status in ("passed", "wrong_answer"):
        lines.append(f"  actual:   {_value(c.actual)}")
        if c.message != "wrong answer":
            lines.append(f"  {_safe(c.message)}")
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
    cells = [[_line(cut("NULL" if v is None else str(v), 40)) for v in (r if isinstance(r, list | tuple) else [r])]
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
        text = _ml_text(v) or json.dumps(v, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(v)
    return _line(cut(text, limit))


def _ml_text(v: Any) -> str | None:
    """A returned array, series or dataframe (tagged by the judge's child) as one readable line."""
    from drill.judge.mlcompare import shape_text, tagged

    tag = tagged(v)
    if tag is None:
        return None
    kind, f = tag
    if kind == "ndarray":
        return f"array {shape_text(f['shape'])} {f['dtype']}: {json.dumps(f['data'], ensure_ascii=False)}"
    index = f["index"]
    shown = "" if index == list(range(len(index))) else f" index {json.dumps(index, ensure_ascii=False)}"
    if kind == "series":
        name = "" if f["name"] is None else f" {json.dumps(f['name'], ensure_ascii=False)}"
        return f"Series{name} {f['dtype']}: {json.dumps(f['data'], ensure_ascii=False)}{shown}"
    return (f"DataFrame columns {json.dumps(f['columns'], ensure_ascii=False)}{shown} rows "
            f"{json.dumps(f['data'], ensure_ascii=False)}")


def _call_text(inputs: Any) -> str:
    if not isinstance(inputs, dict):
        return _value(inputs)
    if "calls" in inputs:
        parts = [f"{m}({', '.join(_value(a, 80) for a in args)})" for m, args in inputs["calls"] or []]
        return cut(" → ".join(parts), 400)
    args = [_value(a, 120) for a in inputs.get("args") or []]
    args += [f"{k}={_value(v, 120)}" for k, v in (inputs.get("kwargs") or {}).items()]
    return cut(f"({', '.join(args)})", 400)
