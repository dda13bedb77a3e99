"""Open questions: a free-text answer against the clock, then the rubric checklist
(self-graded, with suggestions) and the model answer."""

from __future__ import annotations

from drill.session.editing import Editing
from drill.session.flow import Outcome, QuestionContext, QuitSession
from drill.session.grading import score_rubric
from drill.session.suggest import Suggestion, suggestions


class OpenAsking(Editing):
    def answer_open(self, ctx: QuestionContext) -> Outcome:
        from prompt_toolkit.key_binding import KeyBindings

        q = ctx.question
        text = ctx.saved_text or ""
        kb = KeyBindings()

        @kb.add("c-s", eager=True)
        @kb.add("escape", "enter", eager=True)
        def _submit(event) -> None:
            event.app.exit(result="done")

        self._common_keys(kb, ctx)
        keys = [("^S", "submit"), ("^T", "hint"), ("^O", "skip"), ("^C", "quit")]
        prompt_kw = {"multiline": True, "key_bindings": kb, "refresh_interval": 0.5,
                     "bottom_toolbar": self._toolbar(ctx, keys), "prompt_continuation": lambda w, n, s: "  "}
        self.print("[dim]Write your answer below; Ctrl-S submits.[/]")
        action, text = self._edit_until_done(ctx, text, prompt_kw)
        if action == "skip":
            return Outcome(0.0, "skipped", answer=text, skipped=True)
        if action == "timeout":
            self.print("[yellow]Time is up: your answer is submitted as it stands.[/]")
        suggested = suggestions(text, q.rubric)
        self.print("[bold]Grade yourself against the rubric.[/] [dim]Points your answer's wording "
                   "suggests are pre-ticked: check each honestly. ! marks a must-have point.[/]")
        while True:
            try:
                ticked = self.checklist(q.rubric, suggested)
                break
            except KeyboardInterrupt:
                if self.confirm_quit():
                    raise QuitSession() from None
        graded = score_rubric(q.rubric, ticked)
        self.show_model_answer(q)
        return Outcome(graded.score, "graded", answer=text, rubric=graded.marks(q.rubric, ticked),
                       missed_must=graded.missed_must)

    def checklist(self, rubric, suggested: list[Suggestion]) -> list[bool]:
        """Tick rubric points: up/down to move, space to toggle, enter to confirm."""
        from prompt_toolkit.application import Application
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.layout import HSplit, Layout, Window
        from prompt_toolkit.layout.controls import FormattedTextControl

        ticked = [s.hit for s in suggested]
        pos = {"i": 0}

        def lines():
            out: list[tuple[str, str]] = []
            for i, p in enumerate(rubric):
                cursor = "class:check.cursor" if i == pos["i"] else ""
                mark = "[x]" if ticked[i] else "[ ]"
                must = ("class:check.must", " !") if p.must else ("", "  ")
                out += [(cursor, f" {mark}"), must, (cursor, f" {p.point}"),
                        ("class:key", f"  ×{p.weight:g}")]
                if suggested[i].hit:
                    out.append(("class:lineno", f"  (suggested: {', '.join(suggested[i].matched)})"))
                out.append(("", "\n"))
            out.append(("class:key", " ↑/↓ move · space tick · enter confirm"))
            return out

        kb = KeyBindings()

        @kb.add("up")
        @kb.add("k")
        def _up(event) -> None:
            pos["i"] = (pos["i"] - 1) % len(rubric)

        @kb.add("down")
        @kb.add("j")
        def _down(event) -> None:
            pos["i"] = (pos["i"] + 1) % len(rubric)

        @kb.add("space")
        @kb.add("x")
        def _toggle(event) -> None:
            ticked[pos["i"]] = not ticked[pos["i"]]

        @kb.add("enter")
        def _done(event) -> None:
            event.app.exit(result=True)

        @kb.add("c-c")
        def _quit(event) -> None:
            event.app.exit(exception=KeyboardInterrupt())

        app: Application = Application(
            layout=Layout(HSplit([Window(FormattedTextControl(lines, focusable=True), wrap_lines=True,
                                         get_line_prefix=lambda n, wrap: "       " if wrap else "")])),
            key_bindings=kb, style=self._style(), full_screen=False,
            input=self.input, output=self.output, erase_when_done=True,
        )
        app.run()
        for p, t in zip(rubric, ticked, strict=True):
            flag = "[red]![/]" if p.must else " "
            self.print(f" {'[green]✓[/]' if t else '[red]✗[/]'}{flag} {p.point}")
        return ticked

    def show_model_answer(self, q) -> None:
        from rich.markdown import Markdown
        from rich.rule import Rule

        self.print(Rule("model answer", style="dim"))
        self.print(Markdown(q.model_answer))
        if q.pitfalls:
            self.print("[bold]Common pitfalls[/]")
            for p in q.pitfalls:
                self.print(f"  • {p}")

