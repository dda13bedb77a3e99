"""Choice and numeric questions: one line under the question, checked as it is entered;
the right answer and its explanation follow on the feedback screen."""

from __future__ import annotations

from typing import Any

from prompt_toolkit.buffer import Buffer
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import HSplit, Window
from prompt_toolkit.layout.controls import BufferControl

from drill.session.ask_code import _BurstsProxy
from drill.session.editing import QuestionView, title_bar
from drill.session.flow import Outcome, QuestionContext
from drill.session.grading import grade_choice, grade_numeric, parse_choice, parse_number
from drill.session.panes import editor_bindings


class LineView(QuestionView):
    def __init__(self, ctx: QuestionContext) -> None:
        super().__init__(ctx)
        q = ctx.question
        self.buffer = Buffer(multiline=False, name="answer")
        self.buffer.text = ctx.saved_text or ""
        self.buffer.cursor_position = len(self.buffer.text)
        self.editor = Window(BufferControl(self.buffer, key_bindings=editor_bindings(_BurstsProxy(self), code=False)),
                             height=1)
        if q.kind == "choice":
            several = isinstance(q.answer, list) and len(q.answer) > 1
            self.label = f"Your answer ({'letters, e.g. A,C' if several else 'a letter'}) · Enter answers"
        else:
            self.label = f"Your answer{f' ({q.unit})' if q.unit else ''} · Enter answers"
        self.problem = ""
        self._work = HSplit([title_bar(lambda: self.label), self.editor,
                             Window(height=1, content=problem_line(self))])

    def parse(self, text: str) -> Any:
        q = self.ctx.question
        if q.kind == "choice":
            return parse_choice(text, len(q.choices))
        return parse_number(text, q.unit)

    def focus(self) -> Any:
        return self.focus_answer(self.editor)

    def bar(self) -> list[tuple[str, str]]:
        return [("Enter", "answer"), *self.common_bar()]

    def keys(self) -> KeyBindings:
        if not hasattr(self, "_kb"):
            kb = KeyBindings()
            self.common_keys(kb)

            @kb.add("enter", eager=True)
            def _answer(event) -> None:
                try:
                    value = self.parse(self.buffer.text)
                except ValueError as e:
                    self.problem = str(e)
                    return
                self.ctx.clock.stop()
                self.save_work()
                self.done(self.grade(self.buffer.text, value))

            self._kb = kb
        return self._kb

    def grade(self, text: str, value: Any) -> Outcome:
        q = self.ctx.question
        if q.kind == "choice":
            score = grade_choice(value, q.answer)
        else:
            score = grade_numeric(value, q.answer, q.tolerance, q.unit)
        return Outcome(score, "right" if score else "wrong", answer=text, submissions=1)

    def final_outcome(self) -> Outcome:
        # ^X or the strict clock: what is typed counts if it reads as an answer.
        try:
            return self.grade(self.buffer.text, self.parse(self.buffer.text))
        except ValueError:
            return Outcome(0.0, "skipped", answer=self.buffer.text, skipped=True)


def problem_line(view: LineView):
    """The line under the input: why the last Enter was not taken."""
    from prompt_toolkit.layout.controls import FormattedTextControl

    return FormattedTextControl(lambda: [("class:clock.over", f" {view.problem}")] if view.problem else [])
