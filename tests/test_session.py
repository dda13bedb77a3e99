"""`drill start` flows, headless: the real full-screen round on prompt-toolkit pipe input,
drawn on an emulated 100x30 terminal (every frame kept), with a real store."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input

from drill.commands import start as start_cmd
from drill.progress.store import open_store
from drill.session import workspace
from drill.session.flow import StartOptions
from drill.session.tui import TerminalUI
from tests.sessionkit import (
    ANSWER,
    BACKSPACE,
    CLEAR,
    CTRL_A,
    CTRL_C,
    CTRL_K,
    CTRL_O,
    CTRL_R,
    CTRL_S,
    CTRL_T,
    CTRL_X,
    CTRL_Z,
    DOWN,
    F5,
    SHIFT_TAB,
    ScreenOutput,
    paste,
)


class FakeTime:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class W(str):
    """A step of a key script: wait until a frame shows this text."""


def drive(inp, screen: ScreenOutput, steps: list[str]) -> None:
    import time

    for step in steps:
        if isinstance(step, float):
            time.sleep(step)
        elif callable(step):
            step()  # e.g. move a fake clock on between two screens
        elif isinstance(step, W):
            deadline = time.monotonic() + 20
            while not screen.seen(step) and time.monotonic() < deadline:
                time.sleep(0.01)
        else:
            inp.send_text(step)


def typed(text: str) -> list:
    """Keys one at a time, as a person types (a batch of keys reads as a paste)."""
    out: list = []
    for ch in text:
        out += [ch, 0.05]
    return out


def run_session(pack: Path, keys: str | list, *, questions: list[str], strict: bool = False,
                resume: bool | int = False, editor: bool = False, count: int | None = None,
                cols: int = 100, rows: int = 30, monotonic=None):
    """One round. `keys`: typed ahead (held keys are replayed to each screen), or a
    script of keys and W(text) waits, so that each step's screen is drawn."""
    screen = ScreenOutput(cols, rows)
    with create_pipe_input() as inp:
        if isinstance(keys, str):
            inp.send_text(keys)
        else:
            threading.Thread(target=drive, args=(inp, screen, keys), daemon=True).start()
        term = TerminalUI(input=inp, output=screen.output, background=False, vi=False,
                          after_render=screen.capture)
        # A round that waits for keys the test never sent ends as an interruption.
        watchdog = threading.Timer(20, lambda: term.screen.call(term.screen.terminate))
        watchdog.start()
        try:
            if monotonic is not None:
                import drill.session.flow as flow

                orig = flow.Runner.__init__

                def init(self, *a, **kw):
                    orig(self, *a, **{**kw, "monotonic": monotonic})

                flow.Runner.__init__ = init  # type: ignore[method-assign]
            try:
                result = start_cmd.start(StartOptions(questions=questions, strict=strict, editor=editor,
                                                      packs=[pack], count=count), resume=resume, term=term)
            finally:
                if monotonic is not None:
                    flow.Runner.__init__ = orig  # type: ignore[method-assign]
        finally:
            watchdog.cancel()
    return result, screen


def attempts() -> list[dict]:
    with open_store() as store:
        return [dict(r) for r in store.read("SELECT * FROM attempts ORDER BY id")]


def test_code_question_run_then_submit_then_feedback(session_pack):
    keys = ["\r", W("^S submit"), CLEAR + paste(ANSWER) + CTRL_R, W("Examples passed"), CTRL_S,
            W("Reference solution"), "\r"]
    result, screen = run_session(session_pack, keys, questions=["t/add"])
    assert result.status == "completed"
    run = screen.frame_with("Examples passed: 1 of 1 cases passed")
    assert "Q1/1 · Add two numbers" in run  # the question stays beside the results
    feedback = screen.frame_with("Passed: 3 of 3 cases passed")
    assert "Rated Easy" in feedback and "Reference solution" in feedback
    assert "next clock" not in feedback  # the last question: Enter ends the round
    (row,) = attempts()
    assert row["uid"] == "t/add" and row["verdict"] == "passed" and row["score"] == 1.0
    assert row["submissions"] == 1 and "return a + b" in row["answer"]
    assert [c["status"] for c in json.loads(row["cases"])] == ["passed"] * 3
    assert workspace.paused() == []  # a finished session leaves nothing to resume


def test_failed_submissions_are_counted_and_lower_the_rating(session_pack):
    wrong = "def add(a, b):\n    return a - b\n"
    keys = ["\r", W("^S submit"), CLEAR + paste(wrong) + CTRL_S, W("Submission failed"), CTRL_T,
            W("Hint 1/1"), CTRL_X + "\r"]
    _result, screen = run_session(session_pack, keys, questions=["t/add"])
    failed = screen.frame_with("Submission failed: 0 of 3 cases passed")
    assert "Q1/1 · Add two numbers" in failed
    assert screen.seen("Hint 1/1: Use the plus sign.")
    row = attempts()[0]
    assert row["verdict"] == "failed" and row["score"] == 0.0 and row["hints_used"] == 1
    assert row["submissions"] == 1
    with open_store() as store:
        assert store.read("SELECT rating FROM review_logs")[0]["rating"] == 1


def test_pass_after_a_failed_submission_rates_good(session_pack):
    wrong = "def add(a, b):\n    return a - b\n"
    keys = "\r" + CLEAR + paste(wrong) + CTRL_S + CLEAR + paste(ANSWER) + CTRL_S + "\r"
    run_session(session_pack, keys, questions=["t/add"])
    row = attempts()[0]
    assert row["verdict"] == "passed" and row["submissions"] == 2
    with open_store() as store:
        assert store.read("SELECT rating FROM review_logs")[0]["rating"] == 3  # Good, not Easy


def test_syntax_error_is_shown_once(session_pack):
    keys = ["\r", W("^S submit"), CLEAR + paste("def add(a, b)\n    return a + b\n") + CTRL_S,
            W("does not compile"), CTRL_X + "\r"]
    _result, screen = run_session(session_pack, keys, questions=["t/add"])
    frame = screen.frame_with("does not compile")
    assert frame.count("SyntaxError") + frame.count("expected ':'") <= 2
    assert "test-1" not in frame  # no per-case rows repeating it


def test_editor_comforts(session_pack):
    # Enter keeps and adds indentation; Backspace in the indentation removes one level;
    # Ctrl-Z undoes the last word; Shift-Tab dedents; ^Z and ^\\ never insert anything.
    keys = ["\r", W("^S submit"),
            *typed(CLEAR + "def add(a, b):\r" + "if a:\r" + "pass\r" + BACKSPACE + "return a + b"),
            CTRL_Z, 0.1, "\x1c", 0.1, *typed(" b\r" + "x = 1"), SHIFT_TAB, 0.1, CTRL_S,
            W("Reference solution"), "\r"]
    run_session(session_pack, keys, questions=["t/add"])
    answer = attempts()[0]["answer"]
    assert answer == "def add(a, b):\n    if a:\n        pass\n    return a + b\nx = 1", repr(answer)


def test_reset_to_starter_asks_first(session_pack):
    keys = "\r" + CLEAR + "junk" + F5 + "n" + F5 + "y" + CTRL_X + "\r"
    run_session(session_pack, keys, questions=["t/add"])
    assert attempts()[0]["answer"] == "def add(a: int, b: int) -> int:\n    return 0\n"


def test_open_question_answered_and_self_graded_with_the_clock_stopped(session_pack):
    mono = FakeTime()
    # Pre-ticked: point 1 (psi + population stability) and point 3 (retrain + label arrival);
    # the candidate ticks point 2 by hand.
    answer = "I would track PSI per feature, a population stability check. I retrain monthly, after label arrival."

    class Typist:
        # Each key read moves time on by a second while answering.
        def __call__(self) -> float:
            return mono.t

    keys = ["\r", answer + CTRL_S, W("Grade yourself"), DOWN + " " + "\r", W("Model answer"), "\r"]
    _result, screen = run_session(session_pack, keys, questions=["t/drift"], monotonic=Typist())
    grading = screen.frame_with("Grade yourself")
    assert "[x] ! Tracks PSI" in grading and "[ ]   Alerts" in grading
    feedback = screen.frame_with("Model answer")
    assert "Track PSI per feature and the score" in feedback
    row = attempts()[0]
    assert [m["hit"] for m in json.loads(row["rubric"])] == [True, True, True]
    assert row["score"] == pytest.approx(1.0) and row["verdict"] == "graded"
    assert row["answer"] == answer and row["seconds"] == 0.0


def test_empty_open_answer_asks_before_the_rubric(session_pack):
    keys = ["\r", CTRL_S, W("Your answer is empty"), "n" + "watch psi" + CTRL_S + "\r" + "\r"]
    _result, screen = run_session(session_pack, keys, questions=["t/drift"])
    assert screen.seen("Your answer is empty. Go to the rubric anyway?")
    assert attempts()[0]["answer"] == "watch psi"


def test_skip_asks_then_shows_the_solution(session_pack):
    keys = ["\r", CTRL_O, W("Skip this question?"), "n" + CTRL_O + "y", W("Skipped"), "\r"]
    _result, screen = run_session(session_pack, keys, questions=["t/drift"])
    assert screen.seen("Skip this question?")
    feedback = screen.frame_with("Skipped")
    assert "Model answer" in feedback
    row = attempts()[0]
    assert row["skipped"] == 1 and row["verdict"] == "skipped" and row["score"] == 0.0


def test_choice_and_numeric_with_feedback_between(session_pack):
    keys = ["\r", "A\r", W("By definition."), "\r", "nope\r", W("is not a number"), CTRL_A + CTRL_K + "15.38%\r", "\r"]
    _result, screen = run_session(session_pack, keys, questions=["t/auc", "t/bayes"])
    assert screen.seen("By definition.")
    assert "the next clock starts when you press Enter" in screen.frame_with("By definition.")
    assert screen.seen("'nope' is not a number")
    rows = attempts()
    assert [(r["uid"], r["score"], r["verdict"]) for r in rows] == [("t/auc", 1.0, "right"), ("t/bayes", 1.0, "right")]


def test_feedback_time_is_not_answer_time(session_pack):
    """The next question's clock starts when its feedback screen is dismissed."""
    mono = FakeTime()

    class Reader:
        # Every read of the clock takes ten seconds: time flies, but only answer time counts.
        def __call__(self) -> float:
            mono.t += 10
            return mono.t

    keys = "\r" + "A\r" + "\r" + "0.1538\r" + "\r"
    run_session(session_pack, keys, questions=["t/auc", "t/bayes"], monotonic=Reader())
    rows = attempts()
    # Q2's clock was created after Q1's feedback; both answers took a few clock reads only.
    assert rows[1]["seconds"] < 200 and rows[0]["seconds"] < 200


def test_strict_time_out_submits(session_pack):
    mono = FakeTime()

    class Jump:
        def __call__(self) -> float:
            mono.t += 100
            return mono.t

    _result, _screen = run_session(session_pack, ["\r", W("Reference solution"), "\r"], questions=["t/add"],
                                  strict=True, monotonic=Jump())
    row = attempts()[0]
    assert row["verdict"] == "failed" and row["seconds"] > row["budget_seconds"]
    assert "return 0" in row["answer"] and row["submissions"] == 1


def test_ctrl_c_then_no_leaves_the_screen_as_it_was(session_pack):
    keys = ["\r", W("^S submit"), CLEAR + paste(ANSWER), W("return a + b"), CTRL_C, W("Quit the session?"),
            "n", 0.3, CTRL_S, W("Reference solution"), "\r"]
    result, screen = run_session(session_pack, keys, questions=["t/add"])
    assert result.status == "completed" and attempts()[0]["verdict"] == "passed"
    asked = screen.frame_with("Quit the session?")
    before = screen.frames[screen.frames.index(asked) - 1]
    after = screen.frames[screen.frames.index(asked) + 1]
    assert "return a + b" in after and after.split("\n")[:-3] == before.split("\n")[:-3]


def test_ctrl_c_then_quit_keeps_answer_and_resumes(session_pack, drill_home):
    partial = "\n# working on it\n"
    keys = "\r" + paste(partial) + CTRL_C + "y"
    result, _ = run_session(session_pack, keys, questions=["t/add", "t/auc"])
    assert result.status == "interrupted" and start_cmd.exit_code(result) == 130
    assert attempts() == []
    saved = list((drill_home / "workspace").glob("session-*/01-t__add.py"))
    assert saved and "# working on it" in saved[0].read_text()
    with open_store() as store:
        assert store.read("SELECT status FROM sessions")[0]["status"] == "interrupted"
    # Resume: the editor comes back with the saved text; finish both questions.
    keys = [W("Resuming"), "\r", W("^S submit"), CLEAR * 2 + paste(ANSWER) + CTRL_S + "\r" + "A\r" + "\r"]
    result, screen = run_session(session_pack, keys, questions=[], resume=True)
    assert screen.seen("Resuming the mixed session at question 1 of 2")
    assert result.status == "completed"
    rows = attempts()
    assert [r["uid"] for r in rows] == ["t/add", "t/auc"] and rows[0]["verdict"] == "passed"


def test_two_paused_sessions_picker_resume_and_discard(session_pack):
    run_session(session_pack, "\r" + CTRL_C + "y", questions=["t/add"])
    run_session(session_pack, "\r" + "A\r" + "\r" + CTRL_C + "y", questions=["t/auc", "t/bayes"])
    paused = workspace.paused()
    assert [len(s.uids) for s in paused] == [2, 1]  # the latest first
    second, first = paused
    # The picker lists both; d discards the highlighted one after a confirmation ("n": kept).
    keys = [W("Which paused session?"), "d", W("Discard paused session"), "n" + DOWN + "d" + "y" + "\r" + "\r"
            + "0.1538\r" + "\r"]
    result, screen = run_session(session_pack, keys, questions=[], resume=True)
    picker = screen.frame_with("Which paused session?")
    assert f"#{first.session_id}" in picker and f"#{second.session_id}" in picker
    assert "question 2 of 2" in picker and "question 1 of 1" in picker
    assert result.status == "completed" and result.state.session_id == second.session_id
    assert workspace.paused() == []
    assert [r["uid"] for r in attempts()] == ["t/auc", "t/bayes"]


def test_resume_by_id_and_legacy_current_json(session_pack, drill_home):
    run_session(session_pack, "\r" + CTRL_C + "y", questions=["t/add"])
    (state,) = workspace.paused()
    # An older drill kept the paused session in workspace/current.json.
    state.state_path.rename(drill_home / "workspace" / "current.json")
    assert [s.session_id for s in workspace.paused()] == [state.session_id]
    assert not (drill_home / "workspace" / "current.json").exists()
    keys = "\r" + CLEAR + paste(ANSWER) + CTRL_S + "\r"
    result, _ = run_session(session_pack, keys, questions=[], resume=state.session_id)
    assert result.status == "completed"


def test_editor_mode_judges_the_file_when_the_editor_closes(session_pack, tmp_path, monkeypatch):
    # A stand-in for $EDITOR: the first time it writes a wrong answer, then a right one.
    editor = tmp_path / "fake-editor"
    editor.write_text(
        "#!/bin/sh\n"
        f"if [ -e {tmp_path}/once ]; then printf 'def add(a, b):\\n    return a + b\\n' > \"$1\"; "
        f"else touch {tmp_path}/once; printf 'def add(a, b):\\n    return 0\\n' > \"$1\"; fi\n"
    )
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    keys = ["\r", W("Submission failed"), "\r", W("Reference solution"), "\r"]
    _result, screen = run_session(session_pack, keys, questions=["t/add"], editor=True)
    assert screen.seen("Submission failed: 1 of 3 cases passed")
    row = attempts()[0]
    assert row["verdict"] == "passed" and "return a + b" in row["answer"] and row["submissions"] == 2


def test_ctrl_c_at_the_intro_cancels_cleanly(session_pack):
    result, _ = run_session(session_pack, CTRL_C, questions=["t/add"])
    assert result.status == "cancelled" and start_cmd.exit_code(result) == 130
    assert workspace.paused() == [] and attempts() == []
    with open_store() as store:
        assert store.read("SELECT status FROM sessions")[0]["status"] == "abandoned"


def test_round_picker_without_round(session_pack):
    from drill.constants import BUILTIN_ROUNDS
    from drill.packs.catalog import load_catalog

    cat = load_catalog([session_pack])
    # The picker lists the rounds with questions in the built-in order (screen, coding, sql,
    # ...): move down to sql, wherever the shipped packs put it.
    listed = [r for r in BUILTIN_ROUNDS if r in cat.rounds()]
    assert listed.index("sql") > 0
    screen = ScreenOutput()
    with create_pipe_input() as inp:
        inp.send_text(DOWN * listed.index("sql") + "\r" + "\r" + CTRL_O + "y" + "\r")
        term = TerminalUI(input=inp, output=screen.output, background=False, vi=False,
                          after_render=screen.capture)
        result = start_cmd.start(StartOptions(packs=[session_pack], count=1), term=term)
    assert [cat.find(r["uid"]).round for r in result.results] == ["sql"]  # the built-in order


def test_start_needs_a_terminal(cli):
    code, _, err = cli("start", "--round", "coding")
    assert code == 2 and "drill check" in err


def test_bad_options_fail_before_the_screen_opens(session_pack, cli):
    code, _, err = cli("start", "--round", "nope", "--pack", str(session_pack))
    assert code == 2 and "no questions in round 'nope'" in err
    code, _, err = cli("start", "--resume", "x1")
    assert code == 2 and "session id" in err
    code, _, err = cli("start", "--resume")
    assert code == 2 and "no paused session" in err
    code, _, err = cli("start", "--discard", "5")
    assert code == 2 and "no paused session 5" in err


def test_discard_asks_then_throws_one_away(session_pack, cli):
    run_session(session_pack, "\r" + CTRL_C + "y", questions=["t/add"])
    (state,) = workspace.paused()
    code, out, _ = cli("start", "--discard", str(state.session_id), input="n\n")
    assert code == 0 and "Nothing changed" in out and workspace.paused()
    code, out, _ = cli("start", "--discard", str(state.session_id), input="y\n")
    assert code == 0 and "Discarded" in out and workspace.paused() == []
    with open_store() as store:
        assert store.read("SELECT status FROM sessions")[0]["status"] == "abandoned"


class TestPlan:
    def test_mixed_round_takes_one_from_each(self, session_pack):
        from drill.packs.catalog import load_catalog
        from drill.session.flow import plan

        cat = load_catalog([session_pack])
        with open_store() as store:
            state, chosen = plan(StartOptions(rounds=["coding", "mlops", "stats"], count=3, packs=[session_pack]), cat, store)
        assert sorted(s.round for s in chosen) == ["coding", "mlops", "stats"]
        assert state.label == "mixed"

    def test_minutes_spread_over_questions(self, session_pack):
        from drill.packs.catalog import load_catalog
        from drill.session.flow import plan

        cat = load_catalog([session_pack])
        with open_store() as store:
            state, _chosen = plan(StartOptions(questions=["t/add", "t/drift"], minutes=12, packs=[session_pack]), cat, store)
        assert sum(state.budgets) == pytest.approx(12 * 60)
        assert state.budgets[1] == pytest.approx(5 * state.budgets[0])
