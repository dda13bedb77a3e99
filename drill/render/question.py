"""A question as a candidate reads it (rich): used by `drill show` and the round screen.

Every string from the pack is shown literally: made terminal-safe (`ui.term_safe`) and
escaped where it passes through rich markup, so a title holding `[/bold]` or an escape
sequence reads as written instead of crashing rich or driving the terminal.
"""

from __future__ import annotations

import json

from drill import ui
from drill.ui import markup_safe as _m
from drill.ui import term_safe


def _value(v) -> str:
    # Escaped because values such as [null, true] otherwise parse as rich markup tags and vanish.
    return _m(json.dumps(v, ensure_ascii=False))


def _cell(v) -> str:
    return "NULL" if v is None else _m(str(v), keep_newlines=False)


def render_question(loaded, solution: bool, console=None) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.syntax import Syntax

    con = console or ui.out()
    q = loaded.question
    tags = ", ".join(q.tags) or "-"
    about = f"{loaded.uid} · {q.round} · {q.kind} · {q.difficulty} · {q.minutes:g} min · tags: {tags}"
    con.print(Panel.fit(f"[bold]{_m(q.title, keep_newlines=False)}[/]\n[dim]{_m(about, keep_newlines=False)}[/]",
                        border_style="cyan"))
    con.print(Markdown(term_safe(q.prompt)))
    render_examples(loaded, con)
    if q.kind == "choice":
        render_choices(q.choices, con)
    if q.kind == "numeric" and q.unit:
        con.print(f"[dim]Answer in {_m(q.unit)}.[/]")
    if q.kind == "model":
        render_model_terms(q, con)
    if q.kind in ("code", "sql", "model") and q.starter and not solution:
        con.print("[bold]Starter[/]" + (" (answer.py)" if q.kind == "model" else ""))
        con.print(Syntax(term_safe(q.starter), "sql" if q.kind == "sql" else "python", theme="ansi_dark"))
    if q.hints:
        con.print(f"[dim]{len(q.hints)} hint(s) available in a session.[/]")
    follow = len(getattr(q, "parts", []) or getattr(q, "followups", []))
    if follow:
        con.print(f"[dim]{follow} follow-up {'part' if q.kind == 'code' else 'probe'}(s) revealed in a session.[/]")
    if solution:
        render_solution(loaded, con)


def metric_text(metric) -> str:
    """A `model` question's metric in words: its name and parameters."""
    text = metric.name
    if metric.budget_per_day is not None:
        text += f", the top {metric.budget_per_day} scores of each day alerted"
    if metric.threshold is not None:
        text += f", scores >= {metric.threshold:g} alerted"
    if metric.costs is not None:
        text += f", a false positive costs {metric.costs.fp:g}, a missed positive {metric.costs.fn:g}"
    return text + ("" if metric.higher_is_better else " (lower is better)")


def render_model_terms(q, con) -> None:
    """What a take-home is scored on: the metric, the bar, the data, the limits (never the hidden labels)."""
    from rich.table import Table

    m = q.metric
    bar = q.target - q.margin if m.higher_is_better else q.target + q.margin
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold", no_wrap=True)
    t.add_column()
    t.add_row("metric", _m(metric_text(m)))
    t.add_row("baseline", f"{q.baseline:g} [dim](a naive rule)[/]")
    t.add_row("target", f"{q.target:g} [dim](the reference; passes at {'>=' if m.higher_is_better else '<='} {bar:g})[/]")
    ds = q.dataset
    data = f"{_m(ds.train)} (label {_m(ds.label)}" + (f", time {_m(ds.time)}" if ds.time else "") + ")"
    t.add_row("training data", data)
    t.add_row("hidden period", "a later period, scored by drill; its labels never reach your code")
    if q.breakdown:
        t.add_row("breakdown", _m(", ".join(b.name for b in q.breakdown)))
    t.add_row("answer", "answer.py defining fit(train) and predict(model, test), one score per row of test")
    t.add_row("limits", f"{q.limits.seconds:g} s and {q.limits.memory_mb} MB for fit and predict together; "
                        f"imports: the standard library, {_m(', '.join(q.requires))}")
    if q.writeup:
        t.add_row("then", f"the write-up ({_m(q.writeup)})")
    con.print(t)


def render_choices(choices: list[str], con) -> None:
    """A. B. C. with a hanging indent, so a long choice wraps under its own text."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column()
    for i, c in enumerate(choices):
        grid.add_row(f"  {chr(65 + i)}.", _m(c))
    con.print(grid)


def render_examples(loaded, con) -> None:
    q = loaded.question
    if q.kind == "code" and q.examples:
        con.print("[bold]Examples[/]")
        for i, case in enumerate(q.examples, 1):
            name = _m(case.name or f"example-{i}", keep_newlines=False)
            if q.is_class:
                calls = ", ".join(f"{_m(str(m))}({', '.join(_value(a) for a in args)})" for m, args in case.calls)
                con.print(f"  [cyan]{name}[/]: {calls}\n    → {_value(case.expected)}", soft_wrap=True)
            else:
                args = [_value(a) for a in case.args or []]
                args += [f"{_m(k)}={_value(v)}" for k, v in (case.kwargs or {}).items()]
                con.print(f"  [cyan]{name}[/]: {_m(q.function or '')}({', '.join(args)})\n    → {_value(case.expected)}",
                          soft_wrap=True)
    if q.kind == "sql":
        from rich.syntax import Syntax

        con.print("[bold]Schema[/]")
        con.print(Syntax(term_safe(q.schema_.strip()), "sql", theme="ansi_dark"))
        for i, case in enumerate(q.examples, 1):
            render_sql_example(case, i, con)


def render_sql_example(case, i: int, con) -> None:
    from rich.table import Table

    con.print(f"[bold]Example {_m(case.name or str(i), keep_newlines=False)}[/]")
    for table, rows in case.data.items():
        t = Table(title=_m(table, keep_newlines=False), title_justify="left", box=None, show_header=False,
                  pad_edge=False)
        for row in rows:
            t.add_row(*[_cell(v) for v in row])
        con.print(t)
    t = Table(title="expected", title_justify="left", box=None, show_header=False, pad_edge=False)
    for row in case.expected:
        t.add_row(*[_cell(v) for v in row])
    con.print(t)


def render_solution(loaded, con) -> None:
    from rich.markdown import Markdown

    q = loaded.question
    con.rule("solution")
    if q.kind == "open":
        con.print(Markdown(term_safe(q.model_answer)))
        con.print("[bold]Rubric[/]")
        for p in q.rubric:
            flag = "[red]must[/] " if p.must else ""
            con.print(f"  • {flag}{_m(p.point)} [dim](weight {p.weight:g})[/]")
        if q.pitfalls:
            con.print("[bold]Common pitfalls[/]")
            for p in q.pitfalls:
                con.print(f"  • {_m(p)}")
        for k, f in enumerate(q.followups, 1):
            con.rule(f"follow-up {k} of {len(q.followups)} · weight {f.weight:g}")
            con.print(Markdown(term_safe(f.prompt)))
            con.print("[bold]Rubric[/]")
            for p in f.rubric:
                flag = "[red]must[/] " if p.must else ""
                con.print(f"  • {flag}{_m(p.point)} [dim](weight {p.weight:g})[/]")
            con.print("[bold]Model answer[/]")
            con.print(Markdown(term_safe(f.model_answer)))
    elif q.kind == "choice":
        answers = q.answer if isinstance(q.answer, list) else [q.answer]
        con.print("Answer: " + ", ".join(f"{chr(65 + a)}. {_m(q.choices[a])}" for a in answers))
        if q.explanation:
            con.print(Markdown(term_safe(q.explanation)))
    elif q.kind == "numeric":
        tol = f" (± {q.tolerance:g})" if q.tolerance else ""
        con.print(f"Answer: {q.answer:g}{(' ' + _m(q.unit)) if q.unit else ''}{tol}")
        if q.explanation:
            con.print(Markdown(term_safe(q.explanation)))
    else:
        render_source(loaded.solution_path, "sql" if q.kind == "sql" else "python", "question", con)
        for k, part in enumerate(getattr(q, "parts", []), 1):
            con.rule(f"part {k} of {len(q.parts)} · weight {part.weight:g}")
            con.print(f"[bold]{_m(part.title, keep_newlines=False)}[/]")
            con.print(Markdown(term_safe(part.prompt)))
            path = loaded.pack_path.parent / part.solution if part.solution else None
            render_source(path, "python", "part", con)


def render_source(path, language: str, what: str, con) -> None:
    """A reference solution file, or why there is none to show."""
    from rich.syntax import Syntax

    if path is None or not path.is_file():
        con.print(f"[dim]This {what} has no reference solution.[/]")
        return
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        con.print(f"[dim]The reference solution cannot be read: {_m(str(e))}[/]")
        return
    con.print(Syntax(term_safe(source), language, theme="ansi_dark"))
