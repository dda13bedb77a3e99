"""What the round screen shows, as rich renderables, and their rendering to a pane's width.

Everything that comes from a pack, an answer or a judge goes through `drill.ui.term_safe`
and into `rich.text.Text` objects (or Markdown, which never parses rich markup), so a
title such as `[/bold]` shows literally and no control character reaches the terminal.
A pane renders at its own width and again when the width changes: rich wraps at word
boundaries, and the pane does not wrap a second time.
"""

from __future__ import annotations

import os
import re
from typing import Any

from drill.judge.verdict import CheckResult, cut
from drill.session.clock import due_phrase, fmt_seconds
from drill.ui import term_safe

VALUE_LIMIT = 300


def safe(text: Any) -> str:
    return term_safe(str(text))


def T(text: Any = "", style: str = "") -> Any:
    from rich.text import Text

    return Text(safe(text), style=style)


def to_ansi(renderables: list[Any], width: int) -> str:
    """The renderables as ANSI text, `width` columns wide."""
    import io

    from rich.console import Console

    buf = io.StringIO()
    color = None if os.environ.get("NO_COLOR") else "256"
    con = Console(file=buf, width=max(width, 10), force_terminal=True, color_system=color,  # type: ignore[arg-type]
                  highlight=False, emoji=False, legacy_windows=False, soft_wrap=False, markup=False)
    for r in renderables:
        con.print(r)
    return buf.getvalue().rstrip("\n")


def py(value: Any, limit: int = VALUE_LIMIT) -> str:
    """A value as Python writes it (`None`, `True`, `'a'`), cut to `limit` characters."""
    try:
        text = repr(value)
    except Exception:  # a value from a judge report is plain data; be safe anyway
        text = "<unprintable>"
    return cut(text, limit)


# ---------------------------------------------------------------- the question


def question_meta(loaded: Any, budget: float) -> str:
    q = loaded.question
    tags = ", ".join(q.tags)
    return f"{loaded.uid} · {q.kind} · {q.difficulty} · {fmt_seconds(budget)}" + (f" · {tags}" if tags else "")


def question_body(loaded: Any, budget: float) -> list[Any]:
    """The question as the pane shows it: title, meta, prompt, examples (and choices)."""
    from rich.markdown import Markdown

    q = loaded.question
    out: list[Any] = [T(q.title, "bold"), T(question_meta(loaded, budget), "dim"), T()]
    out.append(Markdown(safe(q.prompt)))
    if q.kind == "code":
        out += code_examples(q)
    elif q.kind == "sql":
        out += sql_examples(q)
    elif q.kind == "choice":
        out += [T(), choices_table(q.choices)]
    elif q.kind == "numeric" and q.unit:
        out += [T(), T(f"Answer in {q.unit}.", "dim")]
    elif q.kind == "model":
        out += [T(), model_terms(q)]
    return out


def model_terms(q: Any) -> Any:
    """A take-home's terms under its brief: the metric, the bar, the limits, the write-up."""
    from rich.table import Table

    from drill.render.question import metric_text

    m = q.metric
    bar = q.target - q.margin if m.higher_is_better else q.target + q.margin
    t = Table.grid(padding=(0, 2))
    t.add_column(no_wrap=True, style="bold")
    t.add_column()
    t.add_row("metric", T(metric_text(m)))
    t.add_row("baseline", T(f"{q.baseline:g} (a naive rule)"))
    t.add_row("target", T(f"{q.target:g} (the reference; passes at {'>=' if m.higher_is_better else '<='} {bar:g})"))
    t.add_row("limits", T(f"{q.limits.seconds:g} s and {q.limits.memory_mb} MB for fit and predict together"))
    if q.writeup:
        t.add_row("then", T("its write-up, with its own clock"))
    return t


def check_block(result: CheckResult) -> Any:
    """A judged result as `drill check` prints it (drill.render.check), for a pane."""
    from rich.text import Text

    from drill.render.check import check_text

    # check_text makes everything from the answer or the pack terminal-safe; the only
    # escape sequences left are its own colours, which from_ansi turns into styles.
    return Text.from_ansi(check_text(result).rstrip("\n"))


def call_text(q: Any, case: Any) -> str:
    if q.is_class:
        return " → ".join(f"{m}({', '.join(py(a, 120) for a in args)})" for m, args in case.calls or [])
    args = [py(a, 120) for a in case.args or []]
    args += [f"{k}={py(v, 120)}" for k, v in (case.kwargs or {}).items()]
    return f"{q.function}({', '.join(args)})"


def code_examples(q: Any) -> list[Any]:
    if not q.examples:
        return []
    out: list[Any] = [T(), T("Examples", "bold")]
    for i, case in enumerate(q.examples, 1):
        out.append(T(f"{case.name or f'example-{i}'}:", "cyan"))
        out.append(T(f"  {call_text(q, case)}"))
        out.append(T(f"  → {py(case.expected)}"))
    return out


_CREATE = re.compile(r"create\s+table\s+(?:if\s+not\s+exists\s+)?[\"`\[]?(\w+)[\"`\]]?\s*\((.*?)\)\s*;",
                     re.IGNORECASE | re.DOTALL)
_NOT_COLUMNS = ("primary", "foreign", "unique", "check", "constraint")


def schema_columns(schema: str) -> dict[str, list[str]]:
    """Column names per table, read from CREATE TABLE statements (never executed)."""
    out: dict[str, list[str]] = {}
    for m in _CREATE.finditer(schema[:100_000] + ";"):
        cols, depth, part = [], 0, ""
        for ch in m.group(2) + ",":
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            if ch == "," and depth == 0:
                words = part.strip().split()
                if words and words[0].lower() not in _NOT_COLUMNS:
                    cols.append(words[0].strip("\"`[]"))
                part = ""
            else:
                part += ch
        out[m.group(1).lower()] = cols
    return out


def rows_table(title: str, rows: list, headers: list[str] | None) -> Any:
    from rich import box
    from rich.table import Table

    if not rows:
        return T(f"{title}: (no rows)")
    ncol = max(len(r) if isinstance(r, list | tuple) else 1 for r in rows)
    show_header = bool(headers) and len(headers or []) == ncol
    t = Table(title=safe(title), title_justify="left", box=box.SIMPLE_HEAD, show_header=show_header,
              pad_edge=False, header_style="bold", title_style="")
    for i in range(ncol):
        t.add_column(safe(headers[i]) if show_header and headers else "", overflow="fold")
    for r in rows[:50]:
        cells = list(r) if isinstance(r, list | tuple) else [r]
        t.add_row(*[T("NULL" if v is None else cut(str(v), 60)) for v in cells])
    if len(rows) > 50:
        t.add_row(T(f"… {len(rows) - 50} more rows", "dim"))
    return t


def sql_examples(q: Any) -> list[Any]:
    from rich.syntax import Syntax

    cols = schema_columns(q.schema_)
    out: list[Any] = [T(), T("Schema", "bold"), Syntax(safe(q.schema_.strip()), "sql", theme="ansi_dark",
                                                        word_wrap=True)]
    for i, case in enumerate(q.examples, 1):
        out += [T(), T(f"Example {case.name or i}", "bold")]
        for table, rows in case.data.items():
            out.append(rows_table(table, rows, cols.get(table.lower())))
        out.append(rows_table("expected result", case.expected, None))
    return out


def choices_table(choices: list[str]) -> Any:
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column()
    for i, c in enumerate(choices):
        grid.add_row(f"{chr(65 + i)}.", T(c))
    return grid


# ---------------------------------------------------------------- a judged run


def verdict_line(result: CheckResult, examples_only: bool) -> str:
    what = "Examples" if examples_only else "Submission"
    if any(c.status == "syntax_error" for c in result.cases):
        return f"{what}: the answer does not compile; 0 of {result.total} cases passed"
    mark = "passed" if result.verdict == "passed" else "failed"
    return f"{what} {mark}: {result.passed} of {result.total} cases passed"


def results_body(result: CheckResult | None, examples_only: bool, error: str | None = None) -> list[Any]:
    """Per-case verdicts, a syntax error once, and the first failing visible case in detail."""
    if error is not None:
        return [T("The answer could not be judged:", "bold red"), T(error)]
    if result is None:
        return [T("Nothing run yet: ^R runs the examples, ^S submits.", "dim")]
    # The verdict line itself is the pane's title (verdict_line), so it is not repeated here.
    ok = result.verdict == "passed"
    out: list[Any] = []
    syntax = [c for c in result.cases if c.status == "syntax_error"]
    if syntax:
        return [T(result.error or syntax[0].message or "syntax error", "red")]
    from rich.table import Table

    t = Table.grid(padding=(0, 2))
    t.add_column(no_wrap=True)
    t.add_column(no_wrap=True)
    t.add_column(justify="right", no_wrap=True)
    t.add_column()
    for c in result.cases:
        name = cut(c.name, 40) + ("" if c.hidden else " (example)")
        t.add_row(T("✓" if c.passed else "✗", "green" if c.passed else "red"), T(name),
                  T(f"{c.time_ms:.1f} ms" if c.time_ms < 10 else f"{c.time_ms:.0f} ms", "dim"),
                  T("" if c.passed else c.message or c.status.replace("_", " ")))
    out.append(t)
    first = next((c for c in result.cases if not c.passed and not c.hidden), None)
    if first is not None:
        out += [T(), T(f"First failing example: {cut(first.name, 40)}", "bold")]
        out += case_detail(first, result.sandbox == "sqlite")
    elif not ok:
        out += [T(), T("Failing hidden cases show no inputs.", "dim")]
    return out


def case_detail(c: Any, sql: bool) -> list[Any]:
    out: list[Any] = []
    if c.message and c.status != "wrong_answer":
        out.append(T(f"  {c.message}"))
    if sql:
        if c.expected is None and c.actual is None:
            return out
        return [*out, rows_table("expected", c.expected or [], None), rows_table("actual", c.actual or [], None)]
    inp = c.input
    if isinstance(inp, dict) and "calls" in inp:
        call = " → ".join(f"{m}({', '.join(py(a, 80) for a in args)})" for m, args in inp["calls"] or [])
    elif isinstance(inp, dict):
        args = [py(a, 120) for a in inp.get("args") or []]
        args += [f"{k}={py(v, 120)}" for k, v in (inp.get("kwargs") or {}).items()]
        call = f"({', '.join(args)})"
    else:
        call = py(inp)
    out.append(T(f"  input:    {cut(call, 400)}"))
    out.append(T(f"  expected: {py(c.expected)}"))
    if c.status in ("passed", "wrong_answer"):
        out.append(T(f"  actual:   {py(c.actual)}"))
    return out


# ---------------------------------------------------------------- feedback


RATING_WORDS = {"again": "Again", "hard": "Hard", "good": "Good", "easy": "Easy"}


def feedback_body(loaded: Any, o: Any, budget: float, due: Any, rating: str | None,
                  last: CheckResult | None, solution_text: str | None,
                  part_solutions: list[str | None] | None = None) -> list[Any]:
    """Verdict, rating, when the question comes back, and the model answer or reference
    solution with its explanation and pitfalls; with follow-up probes or code parts, each
    stage's result and model answer or reference solution (drill.session.stages)."""
    from rich.markdown import Markdown
    from rich.syntax import Syntax

    q = loaded.question
    colour = "green" if o.score >= 0.75 else ("yellow" if o.score >= 0.5 else "red")
    if o.skipped:
        what = "Skipped"
    elif getattr(o, "parts", None):
        n = len(o.parts) - 1
        what = (f"Self-graded: combined score {o.score:.0%} (the main answer and {n} follow-up probe(s))"
                if q.kind == "open" else
                f"{o.verdict.capitalize()}: combined score {o.score:.0%} (the main part and {n} part(s))")
    elif q.kind in ("code", "sql") and last is not None:
        what = f"{o.verdict.capitalize()}: {last.passed} of {last.total} cases passed"
    elif q.kind in ("choice", "numeric"):
        what = "Right" if o.score else "Not quite"
    elif q.kind == "model":
        what = (f"{o.verdict.capitalize()}: score {o.score:.0%} of the way from the baseline to the target"
                if last is not None else "Failed: nothing was judged (score 0%)")
    else:
        what = f"Self-graded: score {o.score:.0%}"
    out: list[Any] = [T(what, f"bold {colour}")]
    over = o.seconds > budget
    time_note = f"time {fmt_seconds(o.seconds)} of {fmt_seconds(budget)}" + (" (over budget)" if over else "")
    facts = [time_note]
    if o.hints:
        facts.append(f"{o.hints} hint(s)")
    if q.kind in ("code", "sql", "model") and o.submissions:
        facts.append(f"{o.submissions} submission(s)")
    out.append(T(" · ".join(facts), "red" if over else ""))
    if due is not None:
        out.append(T(f"Rated {RATING_WORDS.get(rating or '', rating)}; this question comes back {due_phrase(due)}."))
    else:
        out.append(T("Cram practice: the schedule is unchanged."))
    if getattr(o, "parts", None):
        out += feedback_stages(q, o)
    elif o.rubric:
        out += [T(), T("Your self-grading", "bold")]
        for m in o.rubric:
            mark = T("✓ " if m["hit"] else "✗ ", "green" if m["hit"] else "red")
            mark.append_text(T(("! " if m["must"] else "  ") + m["point"]))
            out.append(mark)
    if q.kind == "choice":
        right = q.answer if isinstance(q.answer, list) else [q.answer]
        out += [T(), T("Answer: " + ", ".join(f"{chr(65 + a)}. {q.choices[a]}" for a in right), "bold")]
    if q.kind == "numeric":
        tol = f" ± {q.tolerance:g}" if q.tolerance else ""
        unit = f" {q.unit}" if q.unit else ""
        out += [T(), T(f"Answer: {q.answer:g}{tol}{unit}", "bold")]
        if o.answer:
            out.append(T(f"You answered: {o.answer}", "dim"))
    if q.kind == "open":
        out += [T(), T("Model answer", "bold underline"), Markdown(safe(q.model_answer))]
        out += feedback_probes(q)
    if q.kind == "model":
        if last is not None and not o.skipped:
            out += [T(), T("Your last submission, which counts", "bold underline"), check_block(last)]
        if q.solution:
            after = " (after your write-up)" if q.writeup else ""
            out += [T(), T(f"The reference solution: `drill show {loaded.uid} --solution`{after}.", "dim")]
    if q.kind in ("choice", "numeric") and q.explanation:
        out += [T(), T("Why", "bold underline"), Markdown(safe(q.explanation))]
    if q.kind in ("code", "sql"):
        out += [T(), T("Reference solution", "bold underline")]
        if solution_text is None:
            out.append(T("This question has no reference solution.", "dim"))
        else:
            out.append(Syntax(safe(solution_text), "python" if q.kind == "code" else "sql",
                              theme="ansi_dark", word_wrap=True))
        if q.hints:
            out += [T(), T("The approach, step by step", "bold underline")]
            out += [T(f"• {h}") for h in q.hints]
        if q.kind == "code" and q.parts:
            out += feedback_part_solutions(q, part_solutions or [])
    pitfalls = getattr(q, "pitfalls", None)
    if pitfalls:
        out += [T(), T("Common pitfalls", "bold underline")]
        out += [T(f"• {p}") for p in pitfalls]
    return out


def read_solution(loaded: Any, limit: int = 200_000) -> str | None:
    path = loaded.solution_path
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read(limit)
    except OSError:
        return None


# ---------------------------------------------------------------- later stages (drill.session.stages)


def stage_intro(q: Any, k: int, part_question: Any = None) -> list[Any]:
    """The question pane's top for stage k > 0: the probe or part, then (below, reachable
    by scrolling) the earlier stages and the main question."""
    from rich.markdown import Markdown

    n = len(q.followups if q.kind == "open" else q.parts)
    if q.kind == "open":
        f = q.followups[k - 1]
        out: list[Any] = [T(f"Follow-up {k} of {n}", "bold reverse"),
                          T("The interviewer follows up:", "bold yellow"), Markdown(safe(f.prompt))]
        earlier = [(T(f"Follow-up {j}:", "dim bold"), Markdown(safe(q.followups[j - 1].prompt))) for j in range(1, k)]
    else:
        p = q.parts[k - 1]
        out = [T(f"Part {k} of {n} · {p.title}", "bold reverse"), Markdown(safe(p.prompt))]
        if part_question is not None:
            if p.function or p.class_:
                what = "class" if part_question.is_class else "function"
                out.append(T(f"Your answer defines the {what} {part_question.entry}.", "yellow"))
            out += code_examples(part_question)
        earlier = [(T(f"Part {j}: {q.parts[j - 1].title}", "dim bold"), Markdown(safe(q.parts[j - 1].prompt)))
                   for j in range(1, k)]
    for head, body in earlier:
        out += [T(), head, body]
    out += [T(), T("── the question (PgUp/PgDn scroll) ──", "dim"), T()]
    return out


def feedback_stages(q: Any, o: Any) -> list[Any]:
    """The feedback's stage by stage section: score (or verdict) per stage, and for open
    questions each stage's self-grading."""
    out: list[Any] = [T(), T("Your self-grading" if q.kind == "open" else "Parts", "bold")]
    marks = o.rubric or []
    for s in o.parts or []:
        k = s["part"]
        weight = f" (×{s['weight']:g})" if k else ""
        if s["status"] in ("skipped", "not reached"):
            verdict = s["status"]
        elif q.kind == "code":
            verdict = f"{s['status']}, {s.get('passed', 0)} of {s.get('total', 0)} cases"
        else:
            verdict = f"{s['score']:.0%}"
        ok = s["status"] in ("passed", "graded") and s["score"] >= 0.75
        line = T(("✓ " if ok else "✗ ") if q.kind == "code" else "", "green" if ok else "red")
        line.append_text(T(f"{s['title']}{weight}: {verdict}", "bold" if q.kind == "open" else ""))
        out.append(line)
        for m in (m for m in marks if m.get("part") == k):
            mark = T("  ✓ " if m["hit"] else "  ✗ ", "green" if m["hit"] else "red")
            mark.append_text(T(("! " if m["must"] else "  ") + m["point"]))
            out.append(mark)
    return out


def feedback_probes(q: Any) -> list[Any]:
    """After the main model answer: each probe and its model answer."""
    from rich.markdown import Markdown

    out: list[Any] = []
    for k, f in enumerate(q.followups, 1):
        out += [T(), T(f"Follow-up {k}: model answer", "bold underline"), Markdown(safe(f.prompt)),
                T(), Markdown(safe(f.model_answer))]
    return out


def feedback_part_solutions(q: Any, solutions: list[str | None]) -> list[Any]:
    """After the main reference solution: each part's."""
    from rich.syntax import Syntax

    out: list[Any] = []
    for k, (p, text) in enumerate(zip(q.parts, solutions, strict=False), 1):
        out += [T(), T(f"Reference solution · part {k}: {p.title}", "bold underline")]
        if text is None:
            out.append(T("This part has no reference solution.", "dim"))
        else:
            out.append(Syntax(safe(text), "python", theme="ansi_dark", word_wrap=True))
        if p.hints:
            out += [T(f"• {h}") for h in p.hints]
    return out


# ---------------------------------------------------------------- intro


def intro_body(state: Any, summaries: list[Any]) -> list[Any]:
    total = sum(state.budgets) / 60
    head = T(f"{state.label} round", "bold")
    head.append(f" · {len(summaries)} question(s) · {total:.0f} min in all")
    out: list[Any] = [head, T()]
    for i, (s, b) in enumerate(zip(summaries, state.budgets, strict=True), 1):
        line = T(f"  {i}. ")
        line.append_text(T(s.title))
        line.append_text(T(f"  ({s.kind}, {s.difficulty}, {b / 60:.0f} min)", "dim"))
        out.append(line)
    rules = ["The clock runs from when each question appears and stops when you submit;",
             "reading feedback and grading yourself is not answer time."]
    rules.append("At zero the answer is submitted as it stands." if state.strict
                 else "Past zero you can go on in overtime; it is recorded.")
    if any(s.kind == "model" for s in summaries):
        rules.append("A take-home is worked on in its workspace folder with your own tools; ^S judges its "
                     "answer.py in the background while the clock runs, and its write-up follows.")
    if state.cram:
        rules.append("Cram practice: attempts are recorded, reviews are not rescheduled.")
    out += [T(), T(" ".join(rules), "dim")]
    return out
