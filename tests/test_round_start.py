"""How a round starts: the first question is loaded and its screen warmed up while the intro
is read (drill.commands.start.prepare), and `Screen.show(view, then)` runs `then` once the
view's first frame is drawn."""

from __future__ import annotations

import threading

from prompt_toolkit.input import create_pipe_input

from drill.commands import start as start_cmd
from drill.session.flow import StartOptions
from drill.session.tui import TerminalUI
from tests.sessionkit import CTRL_C, ScreenOutput
from tests.test_session import W, drive


class Recording(TerminalUI):
    """The real screen, noting what was prepared ahead and what each question's view got."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.prepared: list = []
        self.asked: list = []

    def prepare(self, loaded) -> None:
        self.prepared.append((loaded, type(self.screen.view).__name__, self.screen.view.shown.is_set()))
        super().prepare(loaded)

    def view_for(self, ctx):
        self.asked.append(ctx.loaded)
        return super().view_for(ctx)


def run(pack, keys, questions, ui=Recording):
    screen = ScreenOutput(100, 30)
    with create_pipe_input() as inp:
        if isinstance(keys, str):
            inp.send_text(keys)
        else:
            threading.Thread(target=drive, args=(inp, screen, keys), daemon=True).start()
        term = ui(input=inp, output=screen.output, background=False, vi=False, after_render=screen.capture)
        watchdog = threading.Timer(20, lambda: term.screen.call(term.screen.terminate))
        watchdog.start()
        try:
            result = start_cmd.start(StartOptions(questions=questions, packs=[pack]), term=term)
        finally:
            watchdog.cancel()
    return result, term, screen


def test_the_first_question_is_prepared_while_the_intro_is_on_screen(session_pack):
    keys = [W("Press Enter to begin"), 0.3, "\r", W("^S submit"), CTRL_C, W("Quit the session?"), "y"]
    result, term, screen = run(session_pack, keys, ["t/add", "t/drift"])
    assert result.status == "interrupted"
    (loaded, view, drawn), = term.prepared
    assert view == "PageView" and drawn  # the intro, already drawn
    assert term.asked == [loaded]  # the question asked is the one prepared: loaded once
    assert loaded.uid == "t/add" and loaded._full is None  # its hidden tests still unread
    assert screen.seen("def add(a: int, b: int) -> int:")


def test_enter_typed_ahead_still_opens_the_question(session_pack):
    result, term, screen = run(session_pack, "\r" + CTRL_C + "y", ["t/drift"])
    assert result.status == "interrupted"
    assert [p[0].uid for p in term.prepared] == ["t/drift"] and term.asked == [term.prepared[0][0]]
    assert screen.seen("Your answer · ^S submits")


def test_preparing_ahead_never_stops_a_round(session_pack):
    class Breaking(Recording):
        def prepare(self, loaded) -> None:
            raise RuntimeError("broken while the intro was read")

    keys = [W("Press Enter to begin"), "\r", W("Your answer (a letter)"), "A\r", W("Rated"), "\r"]
    result, _term, _screen = run(session_pack, keys, ["t/auc"], ui=Breaking)
    assert result.status == "completed" and result.results[0]["verdict"] == "right"
