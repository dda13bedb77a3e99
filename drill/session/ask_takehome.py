"""Take-home (`model`) questions: the brief beside the workspace folder, the clock, and
submissions of the folder's `answer.py` judged in the background.

The candidate works in `$DRILL_HOME/workspace/takehome-<id>/` with their own editor or a
notebook; this screen is not an editor. ^S judges answer.py (drill.session.takehome's
`Submission`, a thread polled here, so the clock keeps ticking and the keys keep working);
a second ^S while one is judged is queued. ^X finishes: the last judged submission counts.
Each judged submission is kept in the session folder, so a resumed take-home knows it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import HSplit
from prompt_toolkit.layout.dimension import Dimension

from drill.errors import DrillError
from drill.judge.verdict import CheckResult
from drill.session.clock import fmt_seconds
from drill.session.editing import QuestionView, title_bar
from drill.session.flow import Outcome, QuestionContext
from drill.session.panes import TextPane, text_window
from drill.session.render import T, check_block, safe, to_ansi
from drill.session.takehome import (
    ANSWER,
    Submission,
    load_last,
    prepare_workspace,
    read_answer,
    save_last,
)

POLL_SECONDS = 0.1


def metric_line(result: CheckResult) -> str:
    """'recall_at_budget 0.4915 (baseline 0.1864, target 0.5085)': what a submission scored."""
    m = result.model
    if m is None:
        return result.verdict
    value = "n/a" if m.value is None or m.value != m.value else f"{m.value:.4f}"
    return f"{m.metric} {value} (baseline {m.baseline:g}, target {m.target:g})"


class TakeHomeView(QuestionView):
    def __init__(self, ctx: QuestionContext) -> None:
        super().__init__(ctx)
        self.ws: Any = None
        self.ws_error: str | None = None
        try:
            self.ws = prepare_workspace(ctx.loaded)
        except DrillError as e:
            self.ws_error = e.message
        self.sub: Any = None  # the Submission being judged
        self.number = 0  # which submission self.sub is (1, 2, ... in this sitting and before)
        self.pending: str | None = None  # "submit" or "finish", once the current one is judged
        self.last: tuple[str, CheckResult] | None = None  # the last judged submission: it counts
        self.last_number = 0
        self.last_seconds: float | None = None
        self.notes: list[str] = []
        self.error: str | None = None  # what stopped the latest submission from being judged
        self.restored = False
        if ctx.saved_text:  # resumed: the submission judged before the pause still counts
            result = load_last(ctx.save(ctx.saved_text), ctx.saved_text)
            if result is not None:
                self.last, self.restored = (ctx.saved_text, result), True
        self._ws_rows = 10
        self.wpane = TextPane(self._render_workspace)
        self.rpane = TextPane(self._render_results)
        self.rwin = text_window(self.rpane)
        self._results_box = HSplit([title_bar(self.results_title), self.rwin])
        self._work = HSplit([
            title_bar(self.workspace_title),
            HSplit([text_window(self.wpane)], height=self._workspace_rows),
            HSplit([self._results_box], height=Dimension(weight=3, min=3)),
        ])

    # ------------------------------------------------------------ panes
    def workspace_title(self) -> str:
        return "Your workspace · work there with your own tools" if self.ws is not None else "Workspace · not written"

    def _workspace_rows(self) -> Dimension:
        # As tall as its text (the results pane gets the rest), at least 3 rows.
        rows = max(3, self._ws_rows)
        return Dimension(min=3, preferred=rows, max=rows)

    def _render_workspace(self, width: int) -> str:
        text = self._workspace_text(width)
        rows = text.count("\n") + 1
        if rows != self._ws_rows:
            # The pane's height was laid out before its text was known at this width: draw again.
            self._ws_rows = rows
            self.screen.invalidate()
        return text

    def _workspace_text(self, width: int) -> str:
        if self.ws is None:
            return to_ansi([T("The workspace could not be written:", "bold red"), T(self.ws_error),
                            T("Fix that and resume (^C quits; `drill start --resume` comes back here).")], width)
        q, ws, uid = self.ctx.question, self.ws, self.ctx.loaded.uid
        rows = [(ANSWER, "fit(train), predict(model, test): " + ("a starter" if ws.new_answer else "yours, kept")),
                (ws.train.name, f"the training rows, label {q.dataset.label}"),
                (ws.dictionary.name, "each column, and when it is known"),
                (ws.readme.name, "the brief and how it is scored")]
        from rich.table import Table

        files = Table.grid(padding=(0, 2))
        files.add_column(no_wrap=True, style="bold")
        files.add_column()
        for name, what in rows:
            files.add_row(T(name), T(what))
        how = T("Edit answer.py in your own editor or a notebook; ")
        how.append("^S", "bold")
        how.append(" judges it in the background (keep working); ")
        how.append("^X", "bold")
        how.append(" finishes: the last submission counts. From any shell: ")
        how.append_text(T(f"drill check {uid} {ANSWER}", "bold"))
        return to_ansi([T(str(ws.folder), "bold cyan"), files, how], width)

    def results_title(self) -> str:
        if self.sub is not None and not self.sub.done and self.last is None:
            return f"Results · judging submission {self.number}…"
        if self.error is not None and self.last is None:
            return "Results · could not judge"
        if self.last is None:
            return "Results"
        result, m = self.last[1], self.last[1].model
        value = "" if m is None else f": {m.metric} " + ("n/a" if m.value is None or m.value != m.value else f"{m.value:.4f}")
        which = f"Submission {self.last_number}" if self.last_number else "Last submission"
        return f"{which} {result.verdict}{safe(value)}"

    def _render_results(self, width: int) -> str:
        out: list[Any] = []
        if self.sub is not None and not self.sub.done:
            out += [T(f"Judging submission {self.number} (answer.py as it was at ^S): fit and predict get "
                      f"{self.ctx.question.limits.seconds:g} s. The clock keeps running; keep working.", "yellow"), T()]
        if self.error is not None:
            out += [T("The last submission could not be judged:", "bold red"), T(self.error), T()]
        if self.last is None:
            if self.sub is None and self.error is None:
                out.append(T("Nothing submitted yet: ^S judges answer.py. When you finish (^X), "
                             "your last submission counts.", "dim"))
            return to_ansi(out, width)
        if self.restored:
            out.append(T("Your last submission, judged before the pause: it counts unless you submit again.", "dim"))
        elif self.last_seconds is not None:
            out.append(T(f"Submission {self.last_number}, judged in {self.last_seconds:.1f} s: it counts "
                          "unless you submit again.", "dim"))
        out.append(check_block(self.last[1]))
        out += [T(n, "dim") for n in self.notes]
        return to_ansi(out, width)

    def results(self) -> Any:
        return self._results_box

    def focused_pane(self) -> TextPane | None:
        return self.rpane if self.zoom == "results" else self.qpane

    def answer_text(self) -> str:
        """What the attempt keeps as the answer: the last judged answer.py."""
        return self.last[0] if self.last is not None else ""

    # ------------------------------------------------------------ status and keys
    def status(self) -> list[tuple[str, str]]:
        sub = self.sub
        if sub is not None and not sub.done:
            then = {"finish": " · then finish", "submit": " · another queued"}.get(self.pending or "", "")
            self.busy = f"judging answer.py {fmt_seconds(sub.elapsed)}{then}"
        else:
            self.busy = None
        return super().status()

    def bar(self) -> list[tuple[str, str]]:
        common = [(k, "finish" if k == "^X" else label) for k, label in self.common_bar()]
        return [("^S", "submit answer.py"), *common]

    def keys(self) -> KeyBindings:
        if not hasattr(self, "_kb"):
            kb = KeyBindings()
            self.common_keys(kb)

            @kb.add("c-s", eager=True)
            def _submit(event) -> None:
                self.submit()

            # Later bindings win: a take-home's own words for skip and quit.
            @kb.add("c-o", eager=True)
            def _skip(event) -> None:
                self.screen.confirm("Skip this take-home? It is rated Again; its write-up still follows.",
                                    self._skip)

            @kb.add("c-c", eager=True)
            def _quit(event) -> None:
                judging = " The submission being judged is stopped." if self.judging else ""
                self.screen.confirm("Quit the session? Your workspace stays as it is; `drill start --resume` "
                                    f"comes back to this take-home with the time used.{judging}", self._quit)

            self._kb = kb
        return self._kb

    # ------------------------------------------------------------ submitting
    @property
    def judging(self) -> bool:
        return self.sub is not None and not self.sub.done

    def submit(self, then: str | None = None) -> None:
        """Judge answer.py as it is now, in the background (queued while one is judged)."""
        if self.ws is None:
            self.screen.say("There is no workspace to judge: see the workspace pane.")
            return
        if self.judging:
            if self.pending != "finish":
                self.pending = "submit"
            self.screen.say("Submission queued: answer.py is read again and judged when the current one ends.")
            return
        try:
            sub = Submission(self.ctx.loaded, self.ws.folder)
        except DrillError as e:
            self.error = e.message
            self.rpane.refresh()
            self.screen.invalidate()
            if then == "finish":
                self._finish()
            return
        self.ctx.submissions += 1
        self.sub, self.number, self.error, self.pending = sub, self.ctx.submissions, None, then
        self.rpane.refresh()
        self.screen.invalidate()

    def _judged(self) -> None:
        """In the event loop: the submission being judged is done."""
        sub, self.sub = self.sub, None
        try:
            result = sub.result()
        except DrillError as e:
            result, self.error = None, e.message
        if result is not None:
            self.last, self.last_number, self.last_seconds = (sub.source, result), self.number, sub.elapsed
            self.notes, self.restored, self.error = list(sub.notes), False, None
            save_last(self.ctx.save(sub.source), sub.source, result)
            self._saved = sub.source  # the autosave has nothing new to write
        self.rpane.refresh()
        self.screen.invalidate()
        pending, self.pending = self.pending, None
        if pending == "finish":
            self._finish()
        elif pending == "submit":
            self.submit()

    def mounted(self) -> None:
        super().mounted()
        app = self.screen.app
        if app is not None:
            app.create_background_task(self._poll())

    async def _poll(self) -> None:
        while self.screen.view is self and not self.future.done():
            if self.sub is not None and self.sub.done:
                self._judged()
            await asyncio.sleep(POLL_SECONDS)

    # ------------------------------------------------------------ ending
    def move_on(self) -> None:
        """^X: finish, after a confirmation; the last judged submission counts."""
        if self.judging:
            self.screen.confirm(f"Finish when submission {self.number}, being judged now, is done? It will count.",
                                self._finish_after)
        elif self.last is not None:
            self.screen.confirm(f"Finish the take-home? Your last submission counts: "
                                f"{self.last[1].verdict}, {safe(metric_line(self.last[1]))}.", self._finish)
        else:
            self.screen.confirm("Finish the take-home? Nothing is judged yet: answer.py is judged now "
                                "and counts.", lambda: self.submit(then="finish"))

    def time_up(self) -> None:
        """The strict clock reached zero: answer.py as it stands counts."""
        if self.judging:
            self.pending = "finish"
            return
        try:
            current = read_answer(self.ws.answer) if self.ws is not None else None
        except DrillError:
            current = None
        if current is None or (self.last is not None and self.last[0] == current):
            self._finish()
        else:
            self.submit(then="finish")

    def _finish_after(self) -> None:
        if self.judging:
            self.pending = "finish"
            self.screen.say("The take-home ends when this submission is judged.")
        else:
            self._finish()

    def _finish(self) -> None:
        self.ctx.clock.stop()
        self.done(self.final_outcome())

    def final_outcome(self) -> Outcome:
        n = self.ctx.submissions
        if self.last is None:
            return Outcome(0.0, "failed", answer="", cases=[], submissions=n)
        source, result = self.last
        return Outcome(result.score, result.verdict, answer=source, cases=result.case_records(),
                       submissions=n, check=result)

    def save_work(self) -> None:
        # Leaving (quit, skip, a signal): a submission still being judged is stopped.
        if self.judging:
            self.sub.cancel()
        self.pending = None
        if self.last is not None:
            self.ctx.save(self.last[0])
