"""`drill start` flows, headless: prompt-toolkit pipe input, dummy output, a real store."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from drill.packs.catalog import load_catalog
from drill.progress.store import open_store
from drill.session import workspace
from drill.session.flow import Runner, StartOptions, plan
from drill.session.tui import TerminalUI
from tests.sessionkit import ANSWER, CTRL_C, CTRL_O, CTRL_R, CTRL_S, CTRL_T, CTRL_X, DOWN, paste


class FakeTime:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def run_session(pack: Path, keys: str, *, questions: list[str], strict: bool = False,
                mono=None, resume: bool = False, editor: bool = False):
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    cat = load_catalog([pack])
    with create_pipe_input() as inp, open_store() as store:
        inp.send_text(keys)
        term = TerminalUI(console, input=inp, output=DummyOutput(), background=False, vi=False)
        if resume:
            state = workspace.load_current()
        else:
            state, summaries = plan(StartOptions(questions=questions, strict=strict, editor=editor, packs=[pack]), cat, store)
            term.intro(state, summaries)
        kw = {"monotonic": mono} if mono else {}
        result = Runner(term, cat, store, state, **kw).run()
    return result, out.getvalue()


def attempts() -> list[dict]:
    with open_store() as store:
        return [dict(r) for r in store.read("SELECT * FROM attempts ORDER BY id")]


def test_code_question_run_then_submit(session_pack):
    keys = "\r" + paste(ANSWER) + CTRL_R + CTRL_S
    result, screen = run_session(session_pack, keys, questions=["t/add"])
    assert result.status == "completed"
    assert "Examples" in screen and "passed: 1/1" in screen  # the run
    assert "Hidden tests" in screen and "passed: 3/3" in screen  # the submission: examples + hidden
    rows = attempts()
    assert len(rows) == 1
    row = rows[0]
    assert row["uid"] == "t/add" and row["verdict"] == "passed" and row["score"] == 1.0
    assert "return a + b" in row["answer"]
    assert [c["status"] for c in json.loads(row["cases"])] == ["passed"] * 3
    assert not workspace.has_current()  # a finished session leaves nothing to resume


def test_failed_submission_stays_in_editor_and_last_submission_counts(session_pack):
    wrong = "\ndef add(a, b):\n    return a - b\n"
    keys = "\r" + paste(wrong) + CTRL_S + CTRL_T + CTRL_X
    _result, screen = run_session(session_pack, keys, questions=["t/add"])
    assert "0/3 cases" in screen
    assert "Hint 1/1" in screen and "Use the plus sign." in screen
    row = attempts()[0]
    assert row["verdict"] == "failed" and row["score"] == 0.0 and row["hints_used"] == 1


def test_open_question_answered_and_self_graded(session_pack):
    answer = "I would track PSI per feature, a population stability check. I retrain monthly, after label arrival."
    # The checklist pre-ticks points 1 (psi + population stability) and 3 (retrain + label
    # arrival); the candidate also ticks point 2.
    keys = "\r" + answer + CTRL_S + DOWN + " " + "\r"
    _result, screen = run_session(session_pack, keys, questions=["t/drift"])
    assert "model answer" in screen and "Track PSI per feature" in screen
    row = attempts()[0]
    marks = json.loads(row["rubric"])
    assert [m["hit"] for m in marks] == [True, True, True]
    assert row["score"] == pytest.approx(1.0) and row["verdict"] == "graded"
    assert row["answer"] == answer


def test_open_question_unticking_a_must_point(session_pack):
    keys = "\r" + "Track PSI and population stability everywhere" + CTRL_S + " " + "\r"  # untick the pre-ticked must point
    run_session(session_pack, keys, questions=["t/drift"])
    row = attempts()[0]
    assert json.loads(row["rubric"])[0] == {"point": "Tracks PSI per feature against the training window",
                                            "weight": 1.0, "must": True, "hit": False}
    assert row["score"] == 0.0
    with open_store() as store:
        card = store.read("SELECT * FROM review_logs")[0]
    assert card["rating"] == 1  # a missed must point rates Again


def test_skip(session_pack):
    _result, screen = run_session(session_pack, "\r" + CTRL_O, questions=["t/add"])
    row = attempts()[0]
    assert row["skipped"] == 1 and row["verdict"] == "skipped" and row["score"] == 0.0
    assert "skipped" in screen


def test_choice_and_numeric(session_pack):
    keys = "\r" + "A\r" + "15.38%\r"
    _result, screen = run_session(session_pack, keys, questions=["t/auc", "t/bayes"])
    rows = attempts()
    assert [(r["uid"], r["score"], r["verdict"]) for r in rows] == [("t/auc", 1.0, "right"), ("t/bayes", 1.0, "right")]
    assert "By definition." in screen


def test_strict_time_out_submits(session_pack):
    mono = FakeTime()

    class Jump:
        # The clock is past the budget from the first tick on.
        def __call__(self) -> float:
            mono.t += 100
            return mono.t

    _result, screen = run_session(session_pack, "\r", questions=["t/add"], strict=True, mono=Jump())
    assert "Time is up" in screen
    row = attempts()[0]
    assert row["verdict"] == "failed" and row["seconds"] > row["budget_seconds"]
    assert "return 0" in row["answer"]


def test_ctrl_c_then_quit_keeps_answer_and_resumes(session_pack, drill_home):
    partial = "\n# working on it\n"
    keys = "\r" + paste(partial) + CTRL_C + "y\r"
    result, _ = run_session(session_pack, keys, questions=["t/add", "t/auc"])
    assert result.status == "interrupted"
    assert attempts() == []
    saved = list((drill_home / "workspace").glob("session-*/01-t__add.py"))
    assert saved and "# working on it" in saved[0].read_text()
    with open_store() as store:
        assert store.read("SELECT status FROM sessions")[0]["status"] == "interrupted"
    # Resume: the editor comes back with the saved text; finish both questions.
    result, _screen = run_session(session_pack, paste(ANSWER) + CTRL_S + "A\r", questions=[], resume=True)
    assert result.status == "completed"
    rows = attempts()
    assert [r["uid"] for r in rows] == ["t/add", "t/auc"]
    assert "# working on it" in rows[0]["answer"] and rows[0]["verdict"] == "passed"


def test_ctrl_c_then_no_goes_on(session_pack):
    keys = "\r" + CTRL_C + "n\r" + paste(ANSWER) + CTRL_S
    result, _ = run_session(session_pack, keys, questions=["t/add"])
    assert result.status == "completed" and attempts()[0]["verdict"] == "passed"


class TestPlan:
    def test_mixed_round_takes_one_from_each(self, session_pack):
        cat = load_catalog([session_pack])
        with open_store() as store:
            state, chosen = plan(StartOptions(rounds=["coding", "mlops", "stats"], count=3, packs=[session_pack]), cat, store)
        rounds = [s.round for s in chosen]
        assert sorted(rounds) == ["coding", "mlops", "stats"]
        assert state.label == "mixed"

    def test_minutes_spread_over_questions(self, session_pack):
        cat = load_catalog([session_pack])
        with open_store() as store:
            state, _chosen = plan(StartOptions(questions=["t/add", "t/drift"], minutes=12, packs=[session_pack]), cat, store)
        assert sum(state.budgets) == pytest.approx(12 * 60)
        assert state.budgets[1] == pytest.approx(5 * state.budgets[0])  # in proportion to 1 and 5 minutes

    def test_unknown_round(self, session_pack):
        from drill.errors import InputError

        cat = load_catalog([session_pack])
        with open_store() as store, pytest.raises(InputError, match="no questions in round 'nope'"):
            plan(StartOptions(rounds=["nope"], packs=[session_pack]), cat, store)


def test_start_needs_a_terminal(cli):
    code, _, err = cli("start", "--round", "coding")
    assert code == 2 and "drill check" in err


def test_round_picker_without_round(session_pack):
    from drill.commands import start as start_cmd
    from drill.constants import BUILTIN_ROUNDS

    cat = load_catalog([session_pack])
    # The picker lists the rounds that have questions in the built-in order (screen, coding,
    # sql, ...): move down to sql, wherever the shipped packs put it.
    listed = [r for r in BUILTIN_ROUNDS if r in cat.rounds()]
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    with create_pipe_input() as inp:
        inp.send_text(DOWN * listed.index("sql") + "\r" + "\r" + CTRL_O + CTRL_O)
        term = TerminalUI(console, input=inp, output=DummyOutput(), background=False, vi=False)
        result = start_cmd.start(StartOptions(packs=[session_pack], count=1), term=term)
    rounds = [r["uid"] for r in result.results]
    assert listed.index("sql") > 0
    assert [cat.find(u).round for u in rounds] == ["sql"]


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
    _result, screen = run_session(session_pack, "\r" + "y\r", questions=["t/add"], editor=True)
    assert "failed: 1/3 cases" in screen and "passed: 3/3 cases" in screen
    row = attempts()[0]
    assert row["verdict"] == "passed" and "return a + b" in row["answer"]


def test_ctrl_c_at_the_intro_cancels_cleanly(session_pack):
    from drill.commands import start as start_cmd

    out = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text(CTRL_C)
        term = TerminalUI(Console(file=out, width=100), input=inp, output=DummyOutput(), background=False)
        result = start_cmd.start(StartOptions(questions=["t/add"], packs=[session_pack]), term=term)
    assert result.status == "cancelled" and start_cmd.exit_code(result) == 130
    assert not workspace.has_current() and attempts() == []
    with open_store() as store:
        assert store.read("SELECT status FROM sessions")[0]["status"] == "abandoned"
