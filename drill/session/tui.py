"""The terminal side of `drill start`: one full-screen prompt-toolkit application for the
whole round (drill.session.screen), a view per screen.

`TerminalUI` is what drill.session.flow.Runner talks to (intro, ask, after): each call
comes from the round's worker thread and blocks until its view is done. Questions are
dispatched by kind to their views (drill.session.ask_code, ask_open, ask_line, ask_takehome); a new
kind of question adds a view class there and a line in `ask`.
"""

from __future__ import annotations

from typing import Any

from drill.session.clock import fmt_seconds
from drill.session.flow import Outcome, QuestionContext
from drill.session.screen import Screen


class TerminalUI:
    def __init__(self, *, input=None, output=None, background: bool = True, vi: bool | None = None,
                 after_render=None) -> None:
        from drill.session.screen import wants_vi

        self.screen = Screen(input=input, output=output, vi=wants_vi() if vi is None else vi,
                             background=background, after_render=after_render)

    def run(self, work) -> Any:
        """Run the round (`work`, in a worker thread) on the full screen."""
        return self.screen.run(work)

    # ---------------------------------------------------------------- session frame
    def intro(self, state, summaries, *, resumed: bool = False, then=None) -> None:
        """The round's first page; `then()` runs once it is drawn, while it is read."""
        from drill.session.render import T, intro_body
        from drill.session.views import PageView

        def render(width: int) -> list[Any]:
            body = intro_body(state, summaries)
            if resumed:
                used = f", {fmt_seconds(state.used)} already used on it" if state.used else ""
                stage = f" (at its follow-up stage {state.part})" if state.part else ""
                body[:0] = [T(f"Resuming the {state.label} session at question {state.index + 1} of "
                              f"{len(state.uids)}{stage}{used}.", "bold yellow"), T()]
            return body

        title = "drill start · resuming" if resumed else "drill start"
        self.screen.show(PageView(title, render, "Press Enter to begin; Ctrl-C leaves",
                                  [("Enter", "begin"), ("^C", "leave")], ask_before_quit=False), then)

    def prepare(self, loaded) -> None:
        """Ahead of a question, while the intro is read: the modules its view needs and,
        while the intro is still read, the editor's lexer (else it is built after the
        question's first frame, which is drawn plain until then)."""
        intro = self.screen.view
        q = loaded.question
        import rich.markdown  # the question pane's prompt

        if q.kind in ("code", "sql"):
            from drill.session import ask_code  # noqa: F401
            from drill.session.highlight import pygments_lexer

            if q.kind == "sql":
                import rich.syntax  # noqa: F401  (the schema)
            if intro is not None and not intro.future.done():
                pygments_lexer("python" if q.kind == "code" else "sql")
        elif q.kind == "open":
            from drill.session import ask_open  # noqa: F401
        else:
            from drill.session import ask_line  # noqa: F401

    def ask(self, ctx: QuestionContext) -> Outcome:
        view = self.view_for(ctx)
        return self.screen.show(view)

    def view_for(self, ctx: QuestionContext):
        kind = ctx.question.kind
        if kind in ("code", "sql"):
            from drill.session.ask_code import CodeView, EditorFileView

            return EditorFileView(ctx) if ctx.editor else CodeView(ctx)
        if kind == "open":
            from drill.session.ask_open import OpenView

            return OpenView(ctx)
        if kind == "model":
            from drill.session.ask_takehome import TakeHomeView

            return TakeHomeView(ctx)
        from drill.session.ask_line import LineView

        return LineView(ctx)

    def after(self, ctx: QuestionContext, o: Outcome, due, rating) -> None:
        from drill.session.render import feedback_body, read_solution
        from drill.session.views import PageView

        solution = read_solution(ctx.loaded) if ctx.question.kind in ("code", "sql") else None
        parts = [read_solution(s) for s in ctx.stages[1:]]
        last = ctx.index + 1 >= ctx.total

        def render(width: int) -> list[Any]:
            return feedback_body(ctx.loaded, o, ctx.clock.budget, due, rating, o.check, solution, parts)

        title = f"Q{ctx.index + 1}/{ctx.total} · {ctx.question.title} · feedback"
        status = (f"Q{ctx.index + 1}/{ctx.total} done · clock stopped at {fmt_seconds(o.seconds)} · "
                  + ("Enter ends the round" if last else "the next clock starts when you press Enter"))
        keys = [("Enter", "finish" if last else "next question"), ("PgUp/PgDn", "scroll"), ("^C", "quit")]
        self.screen.show(PageView(title, render, status, keys, ask_before_quit=True))

    def pick(self, title: str, options: list[tuple[Any, str]], extra: list[tuple[str, str]] | None = None):
        from drill.session.views import PickView

        return self.screen.show(PickView(title, options, extra))

    def confirm(self, question: str) -> bool:
        """From the worker thread: a yes/no question on its own."""
        import concurrent.futures

        from drill.session.flow import QuitSession

        fut: concurrent.futures.Future = concurrent.futures.Future()
        scr = self.screen

        def answer(yes: bool) -> None:
            # Hold the keys that follow until the worker shows its next view.
            scr.accepting = False
            scr._focus_hold()
            fut.set_result(yes)

        def ask() -> None:
            if scr.terminating:
                fut.set_exception(QuitSession())
                return
            scr.accepting = True
            scr.confirm(question, lambda: answer(True), lambda: answer(False))
            scr.replay()

        scr.pending = fut
        scr.call(ask)
        return fut.result()
