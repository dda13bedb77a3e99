"""The terminal side of `drill start`: prompt-toolkit for input, rich for output.

Every screen is an inline prompt-toolkit prompt under the question, so the
terminal's own scrollback keeps the prompt and earlier results, and a resize
simply redraws. The bottom toolbar carries the clock (refreshed every second)
and the keys. Judging runs in a worker thread; the editor never blocks.
"""

from __future__ import annotations

from drill.session.ask_code import CodeAsking
from drill.session.ask_line import LineAsking
from drill.session.ask_open import OpenAsking
from drill.session.clock import fmt_seconds
from drill.session.flow import Outcome, QuestionContext


class TerminalUI(CodeAsking, OpenAsking, LineAsking):
    """The round's terminal: the frame (intro, question, clock bar, feedback) here, each
    kind of question in its own mixin."""

    # ---------------------------------------------------------------- session frame
    def intro(self, state, summaries) -> None:
        from rich.panel import Panel

        total = sum(state.budgets) / 60
        lines = [f"[bold]{state.label}[/] round · {len(summaries)} question(s) · {total:.0f} min in all"]
        for i, (s, b) in enumerate(zip(summaries, state.budgets, strict=True), 1):
            lines.append(f"  {i}. {s.title} [dim]({s.kind}, {s.difficulty}, {b / 60:.0f} min)[/]")
        rules = ["The clock runs from when each question appears."]
        rules.append("At zero the answer is submitted as it stands." if state.strict
                     else "Past zero you can go on in overtime; it is recorded.")
        if state.cram:
            rules.append("Cram practice: attempts are recorded, reviews are not rescheduled.")
        lines.append("[dim]" + " ".join(rules) + "[/]")
        self.print(Panel("\n".join(lines), title="drill start", border_style="cyan"))
        self._wait_enter("Press Enter to begin (Ctrl-C to leave) ")

    def show_question(self, ctx: QuestionContext) -> None:
        from rich.markdown import Markdown
        from rich.rule import Rule

        from drill.render.question import render_examples

        q = ctx.question
        tags = ", ".join(q.tags)
        self.print(Rule(f"[bold]Q{ctx.index + 1}/{ctx.total} · {q.title}[/]", style="cyan"))
        self.print(f"[dim]{ctx.loaded.uid} · {q.kind} · {q.difficulty} · budget {fmt_seconds(ctx.clock.budget)}"
                   f"{' · ' + tags if tags else ''}[/]")
        self.print(Markdown(q.prompt))
        render_examples(ctx.loaded, self.console)
        if ctx.clock.carried:
            self.print(f"[yellow]Resumed with {fmt_seconds(ctx.clock.carried)} already used.[/]")

    def ask(self, ctx: QuestionContext) -> Outcome:
        self.show_question(ctx)
        kind = ctx.question.kind
        if kind in ("code", "sql"):
            return self.answer_in_editor(ctx) if ctx.editor else self.answer_code(ctx)
        if kind == "open":
            return self.answer_open(ctx)
        if kind == "choice":
            return self.answer_choice(ctx)
        return self.answer_numeric(ctx)

    def after(self, ctx: QuestionContext, o: Outcome, due, rating) -> None:
        from drill.session.clock import due_phrase

        used = fmt_seconds(o.seconds)
        over = o.seconds > ctx.clock.budget
        colour = "green" if o.score >= 0.75 else ("yellow" if o.score >= 0.5 else "red")
        what = "skipped" if o.skipped else f"{o.verdict} · score {o.score:.0%}"
        time_note = f"[red]{used} (over {fmt_seconds(ctx.clock.budget)})[/]" if over else f"{used} of {fmt_seconds(ctx.clock.budget)}"
        hints = f" · {o.hints} hint(s)" if o.hints else ""
        sched = f" · rated {rating}, back {due_phrase(due)}" if due else " · cram: schedule unchanged"
        self.print(f"[bold {colour}]■ {what}[/] · time {time_note}{hints}{sched}")

    # ---------------------------------------------------------------- code and sql
