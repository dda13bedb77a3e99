"""What every question screen shares: the question pane (always visible, scrollable on
its own, zoomable), the arrangement of panes for the terminal's size, the status line
with the clock, autosave, the strict clock, and the common keys (hint, next, skip,
quit, scroll, zoom). Each kind of question adds its working pane (drill.session.ask_*).

Arrangement: from WIDE_COLUMNS the question sits left of the work; narrower, above it;
below MIN_COLUMNS x MIN_ROWS one pane shows at a time and F2 flips between them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import HSplit, VSplit, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.layout.dimension import Dimension

from drill.session.clock import fmt_seconds
from drill.session.flow import Outcome, QuestionContext, QuitSession
from drill.session.panes import TextPane, text_window
from drill.session.render import question_body, safe, to_ansi
from drill.session.screen import View

AUTOSAVE_SECONDS = 3.0


def title_bar(get_text) -> Window:
    return Window(FormattedTextControl(lambda: [("class:pane.title", f" {get_text()} ")]),
                  height=1, style="class:pane.title")


class QuestionView(View):
    """A question on screen. Subclasses build `_work` (the answer pane(s)) and give
    `work_keys`, `work_bar` and `save_work`; `answer_text` is the `buffer`'s unless they
    keep the answer elsewhere."""

    kind_label = ""

    def __init__(self, ctx: QuestionContext) -> None:
        self.ctx = ctx
        self.hints: list[str] = []
        self.qpane = TextPane(self._render_question)
        self.qwin = text_window(self.qpane)
        self.zoom: str | None = None  # "question" or "results"
        self.show_question = False  # tiny terminals: question (True) or the work (False)
        self.busy: str | None = None
        self._layouts: dict[Any, Any] = {}
        self._saved = ctx.saved_text
        self._saved_at = ctx.clock.now()
        self._timed_out = False

    # ------------------------------------------------------------ the question pane
    def _render_question(self, width: int) -> str:
        intro = self.stage_intro()
        body = intro + question_body(self.ctx.loaded, self.ctx.clock.budget)
        from drill.session.render import T

        if self.ctx.clock.carried:
            body.insert(len(intro) + 2, T(f"Resumed with {fmt_seconds(self.ctx.clock.carried)} already used.", "yellow"))
        for i, h in enumerate(self.hints, 1):
            body += [T(), T(f"Hint {i}/{len(self.ctx.stage_hints())}: {h}", "bold yellow")]
        return to_ansi(body, width)

    def stage_intro(self) -> list[Any]:
        """What a later stage (a follow-up probe, a code part) shows above the question."""
        return []

    def stage_label(self) -> str:
        """' · follow-up 1/2' or ' · part 1/2' at a later stage, for the pane's title."""
        return ""

    def question_title(self) -> str:
        q = self.ctx.question
        return f"Q{self.ctx.index + 1}/{self.ctx.total} · {safe(q.title)}{self.stage_label()}"

    def question_pane(self):
        key = "question-pane"
        if key not in self._layouts:
            self._layouts[key] = HSplit([title_bar(self.question_title), self.qwin])
        return self._layouts[key]

    # ------------------------------------------------------------ arrangement
    def work(self) -> Any:
        # Every question view builds its answer pane(s) as _work.
        return self._work  # type: ignore[attr-defined]

    def focus_answer(self, window: Any) -> Any:
        """`window`, unless the question has the screen (zoomed, or shown on a tiny terminal)."""
        return None if self.zoom or (self.screen.tiny and self.show_question) else window

    def results(self) -> Any:
        """The results pane, for views that have one (zoomed with F3)."""
        return None

    def body(self) -> Any:
        tiny, wide = self.screen.tiny, self.screen.wide
        if self.zoom == "results" and self.results() is not None:
            return self.results()
        if self.zoom == "question" or (tiny and self.show_question):
            return self.question_pane()
        if tiny:
            return self.work()
        key = ("wide" if wide else "narrow")
        if key not in self._layouts:
            q, w = self.question_pane(), self.work()
            if wide:
                self._layouts[key] = VSplit([
                    HSplit([q], width=Dimension(weight=45)),
                    Window(width=1, char="│", style="class:lineno"),
                    HSplit([w], width=Dimension(weight=55)),
                ])
            else:
                self._layouts[key] = HSplit([
                    HSplit([q], height=Dimension(weight=2, min=3)),
                    HSplit([w], height=Dimension(weight=3, min=4)),
                ])
        return self._layouts[key]

    def focused_pane(self) -> TextPane | None:
        """The pane PgUp/PgDn scroll: the zoomed one, else the question."""
        return self.qpane

    # ------------------------------------------------------------ status and keys
    def status(self) -> list[tuple[str, str]]:
        clock = self.ctx.clock
        state = clock.state if clock.running else "stopped"
        out = [("class:status", f" Q{self.ctx.index + 1}/{self.ctx.total} "),
               (f"class:clock.{state}", f"⏱ {clock.label()}"),
               ("class:status", f" of {fmt_seconds(clock.budget)} ")]
        if self.busy:
            out.append(("class:busy", f" {self.screen.spinner()} {self.busy}… "))
        return out

    def common_bar(self) -> list[tuple[str, str]]:
        keys: list[tuple[str, str]] = []
        if self.ctx.stage_hints():
            keys.append(("^T", "hint"))
        tiny = self.screen.tiny
        keys += [("^X", "next"), ("^O", "skip" if not self.ctx.part else f"end {self.stage_noun()}s"),
                 ("PgUp/Dn", "question" if self.zoom != "results" else "scroll"),
                 ("F2", ("answer" if self.show_question else "question") if tiny
                  else ("back" if self.zoom == "question" else "zoom"))]
        if self.results() is not None:
            keys.append(("F3", "back" if self.zoom == "results" else "results"))
        keys.append(("^C", "quit"))
        return keys

    def common_keys(self, kb: KeyBindings) -> None:
        @kb.add("c-t", eager=True)
        def _hint(event) -> None:
            hint = self.ctx.next_hint()
            if hint is None:
                self.screen.say("No more hints for this question.")
                return
            self.hints.append(safe(hint))
            self.qpane.refresh()
            self.qpane.top = 10**6  # show the end of the question pane, where hints go
            self.screen.say(f"Hint {self.ctx.part_hints} of {len(self.ctx.stage_hints())} is at the end of the question.")

        @kb.add("c-x", eager=True)
        def _next(event) -> None:
            self.move_on()

        @kb.add("c-o", eager=True)
        def _skip(event) -> None:
            if self.ctx.part:
                self.screen.confirm(f"End the {self.stage_noun()}s here? This one and any after it score 0; "
                                    "the feedback is shown next.", self.end_stages)
            else:
                self.screen.confirm("Skip this question? It is rated Again; the solution is shown next.",
                                    self._skip)

        @kb.add("c-c", eager=True)
        def _quit(event) -> None:
            self.screen.confirm("Quit the session? Your answer is saved; `drill start --resume` "
                                "continues it.", self._quit)

        @kb.add("pageup", eager=True)
        def _up(event) -> None:
            pane = self.focused_pane()
            if pane is not None:
                pane.scroll(-1)

        @kb.add("pagedown", eager=True)
        def _down(event) -> None:
            pane = self.focused_pane()
            if pane is not None:
                pane.scroll(1)

        @kb.add("f2", eager=True)
        def _zoom(event) -> None:
            if self.screen.tiny and not self.zoom:
                self.show_question = not self.show_question
            else:
                self.zoom = None if self.zoom == "question" else "question"
            self.screen._focus_view()

        @kb.add("f3", eager=True)
        def _results(event) -> None:
            if self.results() is not None:
                self.zoom = None if self.zoom == "results" else "results"
                self.screen._focus_view()

    # ------------------------------------------------------------ ending
    def answer_text(self) -> str:
        """What the attempt keeps as the answer: the answer buffer's text."""
        return self.buffer.text  # type: ignore[attr-defined]

    def save_work(self) -> None:
        self.ctx.save(self.answer_text())

    def move_on(self) -> None:
        """^X: end the question with what there is (subclasses judge it first)."""
        self.ctx.clock.stop()
        self.done(self.final_outcome())

    def final_outcome(self) -> Outcome:
        raise NotImplementedError

    def _skip(self) -> None:
        self.ctx.clock.stop()
        self.save_work()
        self.done(Outcome(0.0, "skipped", answer=self.answer_text(), skipped=True,
                          submissions=self.ctx.submissions))

    def stage_noun(self) -> str:
        return "follow-up" if self.ctx.question.kind == "open" else "part"

    def end_stages(self) -> None:
        """^O at a later stage: it and the ones after it count 0 (subclasses with stages)."""
        self._skip()

    def _quit(self) -> None:
        self.save_work()
        self.fail(QuitSession())

    def time_up(self) -> None:
        """The strict clock reached zero: submit as it stands."""
        self.move_on()

    # ------------------------------------------------------------ background work
    def mounted(self) -> None:
        app = self.screen.app
        if app is not None:
            app.create_background_task(self._ticker())

    async def _ticker(self) -> None:
        ctx = self.ctx
        while self.screen.view is self and not self.future.done():
            current = self.answer_text()
            if current != self._saved and ctx.clock.now() - self._saved_at >= AUTOSAVE_SECONDS:
                ctx.save(current)
                self._saved, self._saved_at = current, ctx.clock.now()
            if ctx.strict and ctx.clock.running and ctx.clock.remaining <= 0 and not self._timed_out:
                self._timed_out = True
                self.screen.say("Time is up: the answer is submitted as it stands.")
                self.time_up()
            await asyncio.sleep(0.2)
