"""Code and SQL questions: the built-in editor beside the question, with a results pane
(run, submit, judged in the background while the clock ticks), or the candidate's own
$EDITOR (`--editor`).

A code question with `parts` goes on once a part passes (or the candidate moves on with
^X): the next part's title and prompt show at the top of the question pane, its own
examples and tests judge it, and the editor keeps the code (or takes the part's starter),
under the same clock (drill.session.stages)."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
from typing import Any

from prompt_toolkit.buffer import Buffer
from prompt_toolkit.document import Document
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import HSplit, Window
from prompt_toolkit.layout.controls import BufferControl
from prompt_toolkit.layout.dimension import Dimension
from prompt_toolkit.layout.margins import NumberedMargin

from drill.errors import DrillError
from drill.judge.verdict import CheckResult
from drill.session import stages
from drill.session.editing import QuestionView, title_bar
from drill.session.flow import Outcome, QuestionContext
from drill.session.panes import TextPane, editor_bindings, text_window
from drill.session.render import results_body, stage_intro, to_ansi, verdict_line


def default_starter(q) -> str:
    if q.kind == "sql":
        return "SELECT\n"
    if q.kind == "code" and q.is_class:
        return f"class {q.class_}:\n    def __init__(self):\n        pass\n"
    return f"def {q.function}():\n    pass\n"


class Judged(QuestionView):
    """What the built-in editor and --editor share: judging in the background, the results
    pane, queued submissions, and the outcome from the last submission."""

    def __init__(self, ctx: QuestionContext) -> None:
        super().__init__(ctx)
        self.stage = ctx.part
        ctx.parts_done[:] = stages.clean(ctx.parts_done, ctx.part)
        self.starter = self.starter_for(self.stage, None)
        self.result: CheckResult | None = None
        self.result_examples = True
        self.error: str | None = None
        self.last: tuple[str, CheckResult] | None = None  # the last submission and its result
        self.pending: str | None = None  # "submit" or "next", queued while a run is in flight
        self.rpane = TextPane(self._render_results)
        self.rwin = text_window(self.rpane)
        self._results_box = HSplit([title_bar(self.results_title), self.rwin])

    # ------------------------------------------------------------ stages
    def starter_for(self, k: int, current: str | None) -> str:
        """Part k's starter: its own, else the code so far (`current`, or on resume the
        previous part's saved answer)."""
        q = self.ctx.question
        if k == 0:
            return q.starter or default_starter(q)
        own = q.parts[k - 1].starter
        if own:
            return own
        if current is not None:
            return current
        saved = self.ctx.load(k - 1)
        return saved if saved is not None else self.starter_for(k - 1, None)

    def stage_intro(self) -> list[Any]:
        if not self.stage:
            return []
        return stage_intro(self.ctx.question, self.stage, self.ctx.current.question)

    def stage_label(self) -> str:
        return f" · part {self.stage}/{self.ctx.later}" if self.stage else ""

    def end_stage(self, then: str | None = None) -> None:
        """The part on screen is over (it passed, ^X, or the strict clock): the next part,
        or the end of the question."""
        ctx = self.ctx
        if self.stage >= ctx.later or then == "timeout" or (ctx.strict and ctx.clock.remaining <= 0):
            ctx.clock.stop()
            self.done(self.final_outcome())
            return
        check = self.last[1] if self.last is not None else None
        if self.last is not None:
            ctx.save(self.last[0])  # the part's answer is what was judged
        ctx.advance(stages.code_record(self.stage, check))
        self.stage = ctx.part
        self.reveal()

    def reveal(self) -> None:
        """Show part `self.stage`: its prompt on top, a clean results pane, the code kept."""
        text = self.starter_for(self.stage, self.answer_text())
        self.starter = text
        self.set_answer(text)
        self.ctx.save(text)
        self._saved = text
        self.last, self.result, self.error, self.result_examples = None, None, None, True
        self.pending = None
        self.hints = []
        self.show_question = self.screen.tiny  # one pane at a time: the part first (F2: the code)
        self.rpane.refresh()
        self.qpane.refresh()
        self.screen._focus_view()
        self.screen.invalidate()
        self.screen.say(f"Part {self.stage} of {self.ctx.later}: read it in the question pane.")

    def set_answer(self, text: str) -> None:
        """Put `text` in the answer (the editor, or the workspace file)."""

    def end_stages(self) -> None:
        """^O on a part (after a confirmation): it and the parts after it count 0."""
        self.ctx.clock.stop()
        self.save_work()
        records = [*self.ctx.parts_done, stages.code_record(self.stage, None, skipped=True)]
        self.done(self._outcome(records, None))

    # ------------------------------------------------------------ results
    def _render_results(self, width: int) -> str:
        return to_ansi(results_body(self.result, self.result_examples, self.error), width)

    def results_title(self) -> str:
        if self.error is not None:
            return "Results · could not judge"
        if self.result is None:
            return "Results"
        return verdict_line(self.result, self.result_examples)

    def results(self) -> Any:
        return self._results_box

    def focused_pane(self) -> TextPane | None:
        return self.rpane if self.zoom == "results" else self.qpane

    def results_height(self) -> Dimension:
        if self.result is None and self.error is None:
            return Dimension.exact(2)
        return Dimension(weight=2, min=3)

    # ------------------------------------------------------------ judging
    def _judge(self, text: str, examples_only: bool) -> CheckResult | DrillError:
        try:
            return self.ctx.judge(text, examples_only)
        except DrillError as e:
            return e

    def launch(self, examples_only: bool, text: str | None = None, then: str | None = None) -> None:
        if self.busy:
            if not examples_only:
                self.pending = then or "submit"
                self.screen.say("Submission queued: it runs when the current run ends.")
            return
        text = self.answer_text() if text is None else text
        self.ctx.save(text)
        if not examples_only:
            self.ctx.submissions += 1
        self.busy = "running the examples" if examples_only else "judging on the hidden tests"
        self.screen.invalidate()
        if not self.screen.background:
            self._finished(self._judge(text, examples_only), text, examples_only, then)
            return

        async def work() -> None:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(None, self._judge, text, examples_only)
            self._finished(result, text, examples_only, then)

        assert self.screen.app is not None
        self.screen.app.create_background_task(work())

    def _finished(self, result: CheckResult | DrillError, text: str, examples_only: bool,
                  then: str | None) -> None:
        self.busy = None
        if self.future.done():
            return
        self.result_examples = examples_only
        if isinstance(result, DrillError):
            self.result, self.error = None, result.message
        else:
            self.result, self.error = result, None
        self.rpane.refresh()
        self.screen.settle()  # judging loaded the question in full and the judge's modules
        if not examples_only:
            if isinstance(result, CheckResult):
                self.last = (text, result)
            if then in ("next", "timeout") or (isinstance(result, CheckResult) and result.verdict == "passed"):
                self.end_stage(then)
                return
        pending, self.pending = self.pending, None
        if pending:
            self.launch(False, then=pending if pending != "submit" else None)

    # ------------------------------------------------------------ ending
    def move_on(self) -> None:
        """^X: the last submission counts; never submitted: judge what is there first."""
        if self.last is not None:
            self.end_stage("next")
        elif self.busy:
            self.pending = "next"
            self.screen.say("Moving on when the current run ends.")
        else:
            self.launch(False, then="next")

    def time_up(self) -> None:
        text = self.answer_text()
        if self.last is not None and self.last[0] == text:
            self.end_stage("timeout")
        elif self.busy:
            self.pending = "timeout"
        else:
            self.launch(False, text=text, then="timeout")

    def final_outcome(self) -> Outcome:
        ctx = self.ctx
        if ctx.later:
            check = self.last[1] if self.last is not None else None
            return self._outcome([*ctx.parts_done, stages.code_record(self.stage, check)], check)
        if self.last is None:
            return Outcome(0.0, "failed", answer=self.answer_text(), cases=[],
                           submissions=ctx.submissions)
        text, check = self.last
        cases = [c.to_json() for c in check.cases]
        if ctx.question.kind == "code":
            cases = [{**c, "part": 0} for c in cases]
        return Outcome(check.score, check.verdict, answer=text, cases=cases,
                       submissions=ctx.submissions, check=check)

    def _outcome(self, records: list[dict], check: CheckResult | None) -> Outcome:
        answers = {k: self.ctx.load(k) or "" for k in range(self.stage)}
        answers[self.stage] = self.last[0] if self.last is not None else self.answer_text()
        return stages.code_outcome(self.ctx.question, records, answers, self.ctx.submissions, check)


class CodeView(Judged):
    """The built-in editor: question | editor over results."""

    def __init__(self, ctx: QuestionContext) -> None:
        super().__init__(ctx)
        from drill.session.highlight import ChunkLexer

        q = ctx.question
        text = ctx.saved_text if ctx.saved_text is not None else self.starter
        self.buffer = Buffer(document=Document(text, 0), multiline=True, name="answer")
        # Drawn plain until Pygments' lexer is built, after the first frame (unless built ahead).
        self.lexer = ChunkLexer("python" if q.kind == "code" else "sql",
                                on_ready=lambda: self.screen.call(self.screen.invalidate))
        control = BufferControl(self.buffer, lexer=self.lexer,
                                key_bindings=editor_bindings(self.screen_bursts, code=True))
        self.editor = Window(control, left_margins=[NumberedMargin()], wrap_lines=False,
                             scroll_offsets=None)
        self.language = "Python" if q.kind == "code" else "SQL"
        self._work = HSplit([
            title_bar(lambda: f"Your answer · {self.language}"),
            HSplit([self.editor], height=Dimension(weight=3, min=3)),
            HSplit([self._results_box], height=self.results_height),
        ])

    @property
    def screen_bursts(self):
        return _BurstsProxy(self)

    def drawn(self) -> None:
        self.lexer.build()

    def focus(self) -> Any:
        return self.focus_answer(self.editor)

    def bar(self) -> list[tuple[str, str]]:
        return [("^R", "run"), ("^S", "submit"), *self.common_bar()[:-1], ("^Z/^Y", "undo/redo"), ("F5", "reset"), ("^C", "quit")]

    def keys(self) -> KeyBindings:
        if not hasattr(self, "_kb"):
            kb = KeyBindings()
            self.common_keys(kb)

            @kb.add("c-r", eager=True)
            def _run(event) -> None:
                self.launch(True)

            @kb.add("c-s", eager=True)
            @kb.add("escape", "enter", eager=True)
            def _submit(event) -> None:
                self.launch(False)

            @kb.add("f5", eager=True)
            def _reset(event) -> None:
                self.screen.confirm("Replace your answer with the starter code? (^Z undoes it)", self._reset)

            self._kb = kb
        return self._kb

    def _reset(self) -> None:
        self.buffer.save_to_undo_stack()
        self.buffer.document = Document(self.starter, 0)

    def set_answer(self, text: str) -> None:
        if text != self.buffer.text:
            self.buffer.save_to_undo_stack()
            self.buffer.document = Document(text, 0)


class _BurstsProxy:
    """The screen's burst detector, looked up when a key arrives (the view is built
    before it is mounted on a screen)."""

    def __init__(self, view: QuestionView) -> None:
        self.view = view

    def pasting(self, event) -> bool:
        return self.view.screen.bursts.pasting(event)


class EditorFileView(Judged):
    """--editor: the candidate's own $VISUAL/$EDITOR on a workspace file, judged when it closes."""

    def __init__(self, ctx: QuestionContext) -> None:
        super().__init__(ctx)
        text = ctx.saved_text if ctx.saved_text is not None else self.starter
        self.path = ctx.save(text)
        self.text = text
        self._work = HSplit([
            title_bar(lambda: f"Your answer · {self.path}"),
            HSplit([self._results_box], height=Dimension(weight=1)),
        ])

    def answer_text(self) -> str:
        return self.text

    def save_work(self) -> None:
        pass  # the file is the work; it is saved by the editor

    def set_answer(self, text: str) -> None:
        self.text = text

    def reveal(self) -> None:
        super().reveal()
        self.path = self.ctx.save(self.text)  # the part's own file
        self.screen.say(f"Part {self.stage} of {self.ctx.later}: read it, then Enter opens its file.")

    def mounted(self) -> None:
        super().mounted()
        self.open_editor()

    def bar(self) -> list[tuple[str, str]]:
        return [("Enter", "edit"), ("^S", "judge the file"), *self.common_bar()]

    def keys(self) -> KeyBindings:
        if not hasattr(self, "_kb"):
            kb = KeyBindings()
            self.common_keys(kb)

            @kb.add("enter", eager=True)
            @kb.add("e", eager=True)
            def _edit(event) -> None:
                self.open_editor()

            @kb.add("c-s", eager=True)
            def _submit(event) -> None:
                self._reread()
                self.launch(False)

            self._kb = kb
        return self._kb

    def _reread(self) -> None:
        try:
            self.text = self.path.read_text(encoding="utf-8", errors="replace")[:1_000_000]
        except OSError as e:
            self.screen.say(f"cannot read {self.path}: {e.strerror}")

    def open_editor(self) -> None:
        from prompt_toolkit.application import run_in_terminal

        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"

        def edit() -> None:
            try:
                subprocess.run([*shlex.split(editor), str(self.path)], check=False)
            except OSError as e:
                self.error = f"cannot start the editor '{editor}': {e.strerror}"
                self.rpane.refresh()

        def judge(_f) -> None:
            if self.error and self.error.startswith("cannot start the editor"):
                return
            self._reread()
            self.ctx.save(self.text)
            self.launch(False)

        fut = asyncio.ensure_future(run_in_terminal(edit, in_executor=False))
        fut.add_done_callback(judge)
