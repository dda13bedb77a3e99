"""`drill packs audit`: render what drill.packs.audit measured."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from drill import ui
from drill.errors import EXIT_FAILED
from drill.packs.audit import AuditResult, QuestionAudit

REFERENCE_STYLE = {"passed": "green", "failed": "red", "missing": "yellow", "unavailable": "dim"}
REFERENCE_TEXT = {"passed": "passed", "failed": "FAILED", "missing": "no reference", "unavailable": "unavailable"}


@contextmanager
def progress_bar(enabled: bool) -> Iterator:
    """A progress callback for drill.packs.audit: a bar on a terminal's stderr, else nothing."""
    console = ui.err()
    if not enabled or not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress("[bold]audit[/]", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("audit", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def exit_code(result: AuditResult) -> int:
    return 0 if result.ok else EXIT_FAILED


def render(result: AuditResult, json_out: bool) -> None:
    for note in result.notes:
        ui.warn(note)
    if json_out:
        ui.print_json(result.to_json())
        return
    from rich.table import Table

    escape = ui.markup_safe  # pack ids, paths, problems and diffs come from the pack
    out = ui.out()
    for pack in result.packs:
        out.print(f"[bold]{escape(pack.pack)}[/]  [dim]{escape(pack.path)}[/]")
        if pack.problems:
            for p in pack.problems:
                out.print(f"  [red]✗[/] {escape(p)}", soft_wrap=True)
            out.print("  [red]the pack is invalid: nothing was run[/]\n")
            continue
        if not pack.questions:
            out.print("  [dim]no code or sql questions, nor take-homes[/]\n")
            continue
        t = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
        t.add_column("question")
        t.add_column("reference")
        if result.with_mutants:
            for col in ("mutants", "killed", "equiv", "kill rate"):
                t.add_column(col, justify="right")
        for q in pack.questions:
            style = REFERENCE_STYLE.get(q.reference, "")
            row = [escape(q.uid.split("/", 1)[-1]), f"[{style}]{REFERENCE_TEXT.get(q.reference, q.reference)}[/]"]
            if result.with_mutants:
                row += _mutant_cells(q, result.min_kill)
            t.add_row(*row)
        out.print(t)
        _details(pack.questions, result.with_mutants)
        out.print()
    _summary(result)


def _mutant_cells(q: QuestionAudit, min_kill: float) -> list[str]:
    rate = q.kill_rate
    if rate is None:
        return ["-", "-", "-", "-"]
    colour = "green" if rate >= min_kill else "red"
    return [str(q.mutants), str(q.killed), str(q.equivalent) if q.equivalent else "",
            f"[{colour}]{rate:.0%}[/]" if q.mutants - q.equivalent else "[dim]n/a[/]"]


def _details(questions: list[QuestionAudit], with_mutants: bool) -> None:
    escape = ui.markup_safe
    out = ui.out()
    for q in questions:
        lines: list[str] = []
        if q.kind == "model":
            lines += _model_lines(q)
        elif q.reference == "failed":
            lines.append(f"  [red]reference failed:[/] {escape(q.detail)}")
        if q.unexplained:
            lines.append(f"  [red]marked equivalent without a comment saying why:[/] {escape(', '.join(q.unexplained))}")
        lines += [f"  [yellow]warning:[/] {escape(w)}" for w in q.warnings]
        if with_mutants and q.survivors:
            lines.append(f"  [bold]{len(q.survivors)} survivor{'s' if len(q.survivors) != 1 else ''}:[/]")
            width = max(len(s.id) for s in q.survivors)
            lines += [f"    {escape(s.id.ljust(width))}  {escape(s.diff)}" for s in q.survivors]
        if lines:
            out.print(f"\n[bold]{escape(q.uid)}[/]")
            for line in lines:
                out.print(line, soft_wrap=True)


CHECK_TEXT = {"reference": "reference reaches the target", "leaky": "leaky reference falls short",
              "constant": "constant score is no better than the baseline"}


def _model_lines(q: QuestionAudit) -> list[str]:
    """A take-home's measured checks, one line each, whether they pass or not."""
    escape = ui.markup_safe
    bar = q.bar
    lines = []
    if bar:
        lines.append(f"  [dim]{escape(bar['metric'])}: baseline {bar['baseline']:g}, target {bar['target']:g}, "
                     f"margin {bar['margin']:g}[/]")
    if q.reference == "failed" and not q.checks:
        lines.append(f"  [red]✗ reference failed:[/] {escape(q.detail)}")
    for c in q.checks:
        value = "n/a" if c["value"] is None else f"{c['value']:.4f}"
        mark = "[green]✓[/]" if c["ok"] else "[red]✗[/]"
        want = f" (want {escape(c['want'])})" if c["want"] else ""
        why = f": {escape(c['detail'])}" if c["detail"] else ""
        lines.append(f"  {mark} {CHECK_TEXT.get(c['check'], escape(c['check']))}: {value}{want}{why}")
    return lines


def _summary(result: AuditResult) -> None:
    questions = [q for p in result.packs for q in p.questions]
    failed_refs = sum(q.reference == "failed" for q in questions)
    weak = sum(q.kill_rate is not None and q.kill_rate < result.min_kill for q in questions)
    invalid = sum(bool(p.problems) for p in result.packs)
    bare = sum(bool(q.unexplained) for q in questions)
    take_home = sum(q.kind == "model" and q.reference != "failed" and not q.checks_ok for q in questions)
    parts = [f"{len(questions)} question(s) in {len(result.packs)} pack(s)"]
    if result.with_mutants:
        total = sum(q.mutants - q.equivalent for q in questions)
        killed = sum(q.killed for q in questions)
        parts.append(f"{killed}/{total} mutants killed")
    parts.append(f"{result.seconds:.1f} s, sandbox {result.sandbox}")
    problems = []
    if invalid:
        problems.append(f"{invalid} invalid pack(s)")
    if failed_refs:
        problems.append(f"{failed_refs} failing reference(s)")
    if bare:
        problems.append(f"{bare} question(s) with unexplained equivalent marks")
    if take_home:
        problems.append(f"{take_home} take-home(s) whose leaky or constant check failed")
    if weak:
        problems.append(f"{weak} question(s) below the {result.min_kill:.0%} kill bar")
    if result.nothing_audited:
        problems.append(result.nothing_audited)
    mark = "[green]✓[/]" if result.ok else "[red]✗[/]"
    ui.err().print(f"{mark} " + ", ".join(parts) + ("" if result.ok else ": " + ", ".join(problems)), soft_wrap=True)
