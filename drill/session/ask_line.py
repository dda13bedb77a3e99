"""Choice and numeric questions: one line, validated as typed, explained at once."""

from __future__ import annotations

from typing import Any

from drill.session.editing import Editing
from drill.session.flow import Outcome, QuestionContext, QuitSession
from drill.session.grading import grade_choice, grade_numeric, parse_choice, parse_number


class LineAsking(Editing):
    def _line_answer(self, ctx: QuestionContext, message: str, parse) -> tuple[str, Any] | None:
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.validation import ValidationError, Validator

        class _V(Validator):
            def validate(self, document) -> None:
                try:
                    parse(document.text)
                except ValueError as e:
                    raise ValidationError(message=str(e), cursor_position=len(document.text)) from None

        kb = KeyBindings()
        self._common_keys(kb, ctx)
        keys = [("enter", "answer"), ("^T", "hint"), ("^O", "skip"), ("^C", "quit")]
        text = ctx.saved_text or ""
        while True:
            session = self._session(key_bindings=kb, bottom_toolbar=self._toolbar(ctx, keys),
                                    refresh_interval=0.5, validator=_V(), validate_while_typing=False)
            result = session.prompt(message, default=text)
            text = session.default_buffer.text
            if result == "interrupt":
                ctx.save(text)
                if self.confirm_quit():
                    raise QuitSession()
                continue
            if result == "skip":
                return None
            if result == "done":  # ^X: treat as answering what is typed, if it parses
                try:
                    return text, parse(text)
                except ValueError:
                    return None
            return result, parse(result)

    def answer_choice(self, ctx: QuestionContext) -> Outcome:
        q = ctx.question
        from drill.render.question import render_choices

        render_choices(q.choices, self.console)
        several = isinstance(q.answer, list) and len(q.answer) > 1
        prompt = f"Your answer ({'letters, e.g. A,C' if several else 'a letter'}): "
        got = self._line_answer(ctx, prompt, lambda t: parse_choice(t, len(q.choices)))
        if got is None:
            return Outcome(0.0, "skipped", skipped=True)
        text, picked = got
        score = grade_choice(picked, q.answer)
        right = q.answer if isinstance(q.answer, list) else [q.answer]
        self.print(("[green]Right.[/]" if score else "[red]Not quite.[/]") + " Answer: "
                   + ", ".join(f"{chr(65 + a)}. {q.choices[a]}" for a in right))
        self._explain(q)
        return Outcome(score, "right" if score else "wrong", answer=text)

    def answer_numeric(self, ctx: QuestionContext) -> Outcome:
        q = ctx.question
        unit = f" ({q.unit})" if q.unit else ""
        got = self._line_answer(ctx, f"Your answer{unit}: ", parse_number)
        if got is None:
            return Outcome(0.0, "skipped", skipped=True)
        text, value = got
        score = grade_numeric(value, q.answer, q.tolerance, q.unit)
        tol = f" ± {q.tolerance:g}" if q.tolerance else ""
        self.print(("[green]Right.[/]" if score else "[red]Not quite.[/]")
                   + f" Answer: {q.answer:g}{tol}{(' ' + q.unit) if q.unit else ''}")
        self._explain(q)
        return Outcome(score, "right" if score else "wrong", answer=text)

    def _explain(self, q) -> None:
        if q.explanation:
            from rich.markdown import Markdown

            self.print(Markdown(q.explanation))


