"""Open questions: a free-text answer beside the question (soft-wrapped at words), then,
with the clock stopped, the rubric checklist (self-graded, with suggestions).

A question with follow-up probes goes on: once the main answer is graded, the first probe
shows at the top of the question pane, the answer pane is cleared and the clock runs again;
the probe is graded on its own checklist, then the next one (drill.session.stages)."""

from __future__ import annotations

from typing import Any

from prompt_toolkit.buffer import Buffer
from prompt_toolkit.document import Document
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import HSplit, Window
from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
from prompt_toolkit.layout.dimension import Dimension

from drill.session import stages
from drill.session.ask_code import _BurstsProxy
from drill.session.editing import QuestionView, title_bar
from drill.session.flow import Outcome, QuestionContext
from drill.session.grading import score_rubric
from drill.session.panes import TextPane, WordWrap, editor_bindings, text_window
from drill.session.render import T, safe, stage_intro, to_ansi
from drill.session.suggest import Suggestion, suggestions


class OpenView(QuestionView):
    def __init__(self, ctx: QuestionContext) -> None:
        super().__init__(ctx)
        self.stage = ctx.part
        ctx.parts_done[:] = stages.clean(ctx.parts_done, ctx.part)
        self.buffer = Buffer(document=Document(ctx.saved_text or "", len(ctx.saved_text or "")),
                             multiline=True, name="answer")
        control = BufferControl(self.buffer, input_processors=[WordWrap()],
                                key_bindings=editor_bindings(_BurstsProxy(self), code=False))
        self.editor = Window(control, wrap_lines=True)
        self._work = HSplit([title_bar(self._answer_title), self.editor])
        # The rubric, once the answer is in.
        self.grading = False
        self.ticked: list[bool] = []
        self.suggested: list[Suggestion] = []
        self.pos = 0
        self.check = Window(FormattedTextControl(self._checklist, focusable=True), wrap_lines=True,
                            get_line_prefix=lambda n, wrap: "       " if wrap else "",
                            always_hide_cursor=True)
        self.apane = TextPane(lambda w: to_ansi([T(self.buffer.text or "(empty)")], w))
        self._grade = HSplit([
            title_bar(self._grade_title),
            HSplit([self.check], height=Dimension(weight=3)),
            title_bar(lambda: "Your answer"),
            HSplit([text_window(self.apane)], height=Dimension(weight=2)),
        ])

    def work(self) -> Any:
        return self._grade if self.grading else self._work

    # ------------------------------------------------------------ stages
    def rubric(self) -> list[Any]:
        return stages.rubric_of(self.ctx.question, self.stage)

    def stage_intro(self) -> list[Any]:
        return stage_intro(self.ctx.question, self.stage) if self.stage else []

    def stage_label(self) -> str:
        return f" · follow-up {self.stage}/{self.ctx.later}" if self.stage else ""

    def _answer_title(self) -> str:
        return f"Your answer to follow-up {self.stage} · ^S submits" if self.stage else "Your answer · ^S submits"

    def _grade_title(self) -> str:
        what = f"follow-up {self.stage}" if self.stage else "yourself"
        return f"Grade {what}: tick each point your answer made (! = must-have)"

    def body(self) -> Any:
        if self.grading and not self.zoom:
            return self._grade  # the rubric beside the answer; F2 shows the question
        return super().body()

    def focus(self) -> Any:
        return self.focus_answer(self.check if self.grading else self.editor)

    def bar(self) -> list[tuple[str, str]]:
        if self.grading:
            return [("↑/↓", "move"), ("space", "tick"), ("enter", "confirm"),
                    ("F2", "question"), ("^C", "quit")]
        return [("^S", "submit"), *self.common_bar()[:-1], ("^Z/^Y", "undo/redo"), ("^C", "quit")]

    def keys(self) -> KeyBindings:
        if self.grading:
            return self._grade_keys()
        if not hasattr(self, "_kb"):
            kb = KeyBindings()
            self.common_keys(kb)

            @kb.add("c-s", eager=True)
            @kb.add("escape", "enter", eager=True)
            def _submit(event) -> None:
                if not self.buffer.text.strip():
                    self.screen.confirm("Your answer is empty. Go to the rubric anyway?", self.to_rubric)
                else:
                    self.to_rubric()

            self._kb = kb
        return self._kb

    # ------------------------------------------------------------ the rubric
    def to_rubric(self) -> None:
        self.ctx.clock.stop()  # grading yourself is not answer time
        self.save_work()
        self.suggested = suggestions(self.buffer.text, self.rubric())
        self.ticked = [s.hit for s in self.suggested]
        self.grading = True
        self.zoom = None
        self.apane.refresh()
        self.screen._focus_view()
        self.screen.invalidate()

    def time_up(self) -> None:
        self.to_rubric()

    def move_on(self) -> None:
        self.to_rubric()

    def _checklist(self):
        out: list[tuple[str, str]] = []
        for i, p in enumerate(self.rubric()):
            cursor = "class:check.cursor" if i == self.pos else ""
            mark = "[x]" if self.ticked[i] else "[ ]"
            must = ("class:check.must", " !") if p.must else ("", "  ")
            out += [(cursor, f" {mark}"), must, (cursor, f" {safe(p.point)}"), ("class:lineno", f"  ×{p.weight:g}")]
            if i < len(self.suggested) and self.suggested[i].hit:
                out.append(("class:lineno", f"  (suggested: {safe(', '.join(self.suggested[i].matched))})"))
            out.append(("", "\n"))
        out.append(("class:lineno", " Points your answer gives specific evidence for are pre-ticked, with the words"
                    " that matched: check each honestly."))
        return out

    def _grade_keys(self) -> KeyBindings:
        if not hasattr(self, "_gkb"):
            kb = KeyBindings()

            @kb.add("up")
            @kb.add("k")
            def _up(event) -> None:
                self.pos = (self.pos - 1) % len(self.rubric())

            @kb.add("down")
            @kb.add("j")
            def _down(event) -> None:
                self.pos = (self.pos + 1) % len(self.rubric())

            @kb.add("space")
            @kb.add("x")
            def _toggle(event) -> None:
                self.ticked[self.pos] = not self.ticked[self.pos]

            @kb.add("enter")
            def _done(event) -> None:
                self.graded()

            @kb.add("f2", eager=True)
            def _question(event) -> None:
                self.zoom = None if self.zoom == "question" else "question"
                self.screen._focus_view()

            @kb.add("pageup", eager=True)
            def _pgup(event) -> None:
                self.qpane.scroll(-1)

            @kb.add("pagedown", eager=True)
            def _pgdn(event) -> None:
                self.qpane.scroll(1)

            @kb.add("c-c", eager=True)
            def _quit(event) -> None:
                self.screen.confirm("Quit the session? Your answer is saved; `drill start --resume` "
                                    "continues it.", self._quit)

            self._gkb = kb
        return self._gkb

    def graded(self) -> None:
        """Enter on the checklist: the next probe, or the end of the question. Under the
        strict clock, no probe is asked once the time is up."""
        ctx = self.ctx
        if self.stage >= ctx.later or (ctx.strict and ctx.clock.remaining <= 0):
            self.done(self.final_outcome())
            return
        ctx.advance(stages.open_record(self.stage, self.rubric(), self.ticked))
        self.stage = ctx.part
        self.grading, self.zoom, self.pos = False, None, 0
        text = ctx.load(self.stage) or ""
        self.buffer.reset(Document(text, len(text)))
        self._saved = text
        self.hints = []
        self.show_question = self.screen.tiny  # one pane at a time: the probe first (F2: the answer)
        ctx.clock.resume()  # grading was not answer time; the probe is
        self.qpane.refresh()
        self.screen._focus_view()
        self.screen.invalidate()
        self.screen.say(f"Follow-up {self.stage} of {ctx.later}: the clock runs again.")

    def end_stages(self) -> None:
        """^O on a probe (after a confirmation): it and the ones after it count 0."""
        self.ctx.clock.stop()
        self.save_work()
        self.done(self._outcome([*self.ctx.parts_done, {"part": self.stage, "status": "skipped"}]))

    def final_outcome(self) -> Outcome:
        q = self.ctx.question
        if not q.followups:
            graded = score_rubric(q.rubric, self.ticked)
            return Outcome(graded.score, "graded", answer=self.buffer.text,
                           rubric=[{**m, "part": 0} for m in graded.marks(q.rubric, self.ticked)],
                           missed_must=graded.missed_must, submissions=1)
        return self._outcome([*self.ctx.parts_done, stages.open_record(self.stage, self.rubric(), self.ticked)])

    def _outcome(self, records: list[dict]) -> Outcome:
        answers = {k: self.ctx.load(k) or "" for k in range(self.stage)}
        answers[self.stage] = self.buffer.text
        return stages.open_outcome(self.ctx.question, records, answers)
