"""The take-home round: planning (a take-home and its write-up), the screen headless (a
background submission while the clock runs, finish, skip, quit and resume with the time
and the last submission), a missing requirement refused with its install command, and the
real `drill start --round take-home` in a pseudo-terminal with the real judge."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest
from prompt_toolkit.input import create_pipe_input

from drill.commands import start as start_cmd
from drill.judge.verdict import Breakdown, CaseResult, CheckResult, ModelOutcome, Segment
from drill.progress.store import open_store
from drill.session import workspace
from drill.session.flow import StartOptions
from drill.session.tui import TerminalUI
from tests.modelkit import ANSWERS, copy_fixture
from tests.sessionkit import CTRL_C, CTRL_O, CTRL_S, CTRL_X, F3, ScreenOutput

UID, WRITEUP = "model-fixture/card-fraud", "model-fixture/card-fraud-writeup"
TAG = "screen-fixture"  # only the fixture's card-fraud carries it: `--round take-home --tag` picks it
BASELINE, TARGET = 0.1864, 0.5085


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path, card_fraud={"tags": ["fraud", "take-home", TAG]})


def fake_result(value: float = 0.4915) -> CheckResult:
    """What the judge returns for a take-home answer (a real CheckResult, made by hand)."""
    reached = value >= TARGET - 0.05
    case = CaseResult("fit+predict", True, "passed" if reached else "wrong_answer", 1500.0,
                      f"recall_at_budget {value} {'reaches' if reached else 'falls short of'} 0.4585")
    week = Breakdown("precision at budget by week", "week", "precision_at_budget",
                     [Segment("2025-W10", 928, 29, 0.3036), Segment("2025-W11", 802, 21, float("nan"))])
    outcome = ModelOutcome("recall_at_budget", {"budget_per_day": 8}, BASELINE, TARGET, 0.05, True, 2000, 59,
                           value=value, breakdown=[week])
    return CheckResult(question=UID, sandbox="rlimit", cases=[case], model=outcome)


class FakeSubmission:
    """Stands in for drill.session.takehome.Submission: reads answer.py at once, like the
    real one, and is judged when the test says so."""

    made: ClassVar[list[FakeSubmission]] = []
    release: ClassVar[threading.Event] = threading.Event()
    value: ClassVar[float] = 0.4915

    def __init__(self, loaded, folder, sandbox: str = "auto") -> None:
        from drill.session.takehome import read_answer

        self.source = read_answer(Path(folder) / "answer.py")
        self.notes: list[str] = []
        self.started = time.monotonic()
        self.cancelled = False
        self.value = FakeSubmission.value
        FakeSubmission.made.append(self)

    @property
    def done(self) -> bool:
        return self.cancelled or FakeSubmission.release.is_set()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def cancel(self) -> None:
        self.cancelled = True

    def result(self):
        return None if self.cancelled or not self.done else fake_result(self.value)


@pytest.fixture
def fake_judge(monkeypatch):
    import drill.session.ask_takehome as ask

    FakeSubmission.made = []
    FakeSubmission.release = threading.Event()
    FakeSubmission.value = 0.4915
    monkeypatch.setattr(ask, "Submission", FakeSubmission)
    return FakeSubmission


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class W(str):
    """A step: wait until a frame shows this text."""


def drive(inp, screen: ScreenOutput, steps: list, missed: list[str]) -> None:
    for step in steps:
        if callable(step):
            step()
        elif isinstance(step, float):
            time.sleep(step)
        elif isinstance(step, W):
            deadline = time.monotonic() + 20
            while not screen.seen(step) and time.monotonic() < deadline:
                time.sleep(0.01)
            if not screen.seen(step):
                missed.append(step)
                return  # the round's watchdog ends it; the test reports what never showed
        else:
            inp.send_text(step)


def run_round(opts: StartOptions, steps: list, *, resume: bool = False, monotonic=None):
    screen = ScreenOutput(100, 30)
    missed: list[str] = []
    with create_pipe_input() as inp:
        threading.Thread(target=drive, args=(inp, screen, steps, missed), daemon=True).start()
        term = TerminalUI(input=inp, output=screen.output, background=True, vi=False, after_render=screen.capture)
        watchdog = threading.Timer(25, lambda: term.screen.call(term.screen.terminate))
        watchdog.start()
        import drill.session.flow as flow

        orig = flow.Runner.__init__
        if monotonic is not None:
            def init(self, *a, **kw):
                orig(self, *a, **{**kw, "monotonic": monotonic})

            flow.Runner.__init__ = init  # type: ignore[method-assign]
        try:
            result = start_cmd.start(opts, resume=resume, term=term)
        finally:
            flow.Runner.__init__ = orig  # type: ignore[method-assign]
            watchdog.cancel()
    assert not missed, f"the screen never showed {missed[0]!r}; last frame:\n{screen.frames[-1]}"
    return result, screen


def attempts() -> list[dict]:
    with open_store() as store:
        return [dict(r) for r in store.read("SELECT * FROM attempts ORDER BY id")]


def folder(drill_home: Path) -> Path:
    return drill_home / "workspace" / "takehome-card-fraud"


def write_answer(drill_home: Path, text: str):
    return lambda: (folder(drill_home) / "answer.py").write_text(text, encoding="utf-8")


WRITE_UP = "I dropped chargeback_filed: a leak, filled in after the label. Out-of-time split by week."


# ---------------------------------------------------------------- planning


def test_a_take_home_round_is_one_take_home_then_its_writeup(pack):
    from drill.packs.catalog import load_catalog
    from drill.session.flow import plan

    cat = load_catalog([pack])
    with open_store() as store:
        state, chosen = plan(StartOptions(rounds=["take-home"], tag=TAG, packs=[pack]), cat, store)
        assert state.label == "take-home" and state.uids == [UID, WRITEUP]
        assert state.budgets == [90 * 60, 20 * 60]  # each with its own clock
        # Any take-home: one, and right after it its own write-up if it has one (never a
        # write-up alone); the fixture's card-fraud-pr and card-fraud-cost have none.
        for _ in range(6):
            _state, chosen = plan(StartOptions(rounds=["take-home"], packs=[pack]), cat, store)
            assert chosen[0].kind == "model" and [s.id for s in chosen[1:]] == writeup_of(cat, chosen[0])
        # --question: the take-home brings its write-up; the write-up alone can be practised.
        _state, chosen = plan(StartOptions(questions=[UID], packs=[pack]), cat, store)
        assert [s.uid for s in chosen] == [UID, WRITEUP]
        _state, chosen = plan(StartOptions(questions=[WRITEUP], packs=[pack]), cat, store)
        assert [s.uid for s in chosen] == [WRITEUP]
        # A mixed loop never holds a take-home unless it is asked for by name, and then
        # it comes last, after the loop's questions, with its write-up.
        _state, chosen = plan(StartOptions(rounds=["mixed"], count=30, packs=[pack]), cat, store)
        assert chosen and all(s.round != "take-home" for s in chosen)
        _state, chosen = plan(StartOptions(rounds=["mixed", "take-home"], tag=None, packs=[pack]), cat, store)
        assert [s.round for s in chosen[:4]] == ["coding", "system-design", "llm-safety", "ml-modeling"]
        assert chosen[4].kind == "model" and [s.id for s in chosen[5:]] == writeup_of(cat, chosen[4])


def writeup_of(cat, take_home) -> list[str]:
    writeup = cat.load(take_home.uid).question.writeup
    return [writeup] if writeup else []


@pytest.mark.parametrize("how", [["--round", "take-home"], ["--question", UID]])
def test_a_missing_requirement_is_refused_with_its_install_command(pack, cli, monkeypatch, drill_home, how):
    from drill.packs import catalog

    monkeypatch.setitem(catalog._import_cache, "sklearn", False)
    code, _out, err = cli("start", *how, "--pack", str(pack))
    assert code == 2
    assert "needs sklearn, which this Python cannot import" in err and "-m pip install scikit-learn" in err
    assert not folder(drill_home).exists()  # no workspace written
    assert not list((drill_home / "workspace").glob("session-*"))  # no session folder either
    if (drill_home / "drill.db").exists():
        with open_store() as store:
            assert store.read("SELECT COUNT(*) AS n FROM sessions")[0]["n"] == 0
            assert store.read("SELECT COUNT(*) AS n FROM attempts")[0]["n"] == 0


# ---------------------------------------------------------------- the screen, headless


def test_the_clock_runs_and_keys_work_while_a_submission_is_judged(pack, drill_home, fake_judge):
    mono = FakeTime()

    def later(seconds: float):
        def step() -> None:
            mono.t += seconds
        return step

    steps = [W("Press Enter to begin"), "\r", W("Your workspace"), write_answer(drill_home, "# v1\n"),
             CTRL_S, W("judging answer.py"), later(600), W("1:20:00 left"),
             F3, W("Judging submission 1 (answer.py as it was at ^S)"), F3,
             write_answer(drill_home, "# v2\n"), CTRL_S, W("Submission queued"),
             later(300), W("1:15:00 left"), fake_judge.release.set,
             W("Submission 2 passed: recall_at_budget 0.4915"),
             CTRL_X, W("Finish the take-home? Your last submission counts"), "y",
             W("Your last submission, which counts"), "\r",
             W("Your answer · ^S submits"), WRITE_UP + CTRL_S, W("Grade yourself"), "\r", W("Model answer"), "\r"]
    result, screen = run_round(StartOptions(rounds=["take-home"], tag=TAG, packs=[pack]), steps, monotonic=mono)
    assert result.status == "completed", screen.frames[-1]
    judging = screen.frame_with("1:20:00 left")
    assert "judging answer.py" in judging  # the clock moved on while the submission ran
    assert "takehome-card-fraud" in screen.frame_with("Your workspace")
    # The queued submission read answer.py again when it started.
    assert [s.source for s in fake_judge.made] == ["# v1\n", "# v2\n"]
    feedback = screen.frame_with("Your last submission, which counts")
    assert "answer    0.4915" in feedback and "baseline  0.1864" in feedback
    take_home, writeup = attempts()
    assert take_home["uid"] == UID and take_home["verdict"] == "passed"
    assert take_home["score"] == pytest.approx((0.4915 - BASELINE) / (TARGET - BASELINE))
    assert take_home["seconds"] == pytest.approx(900) and take_home["submissions"] == 2
    assert take_home["answer"] == "# v2\n"
    (case,) = json.loads(take_home["cases"])
    assert case["model"]["value"] == 0.4915 and case["model"]["target"] == TARGET
    assert writeup["uid"] == WRITEUP and writeup["verdict"] == "graded" and writeup["answer"] == WRITE_UP
    assert json.loads(writeup["rubric"])[0]["hit"] is True  # chargeback_filed + leak, pre-ticked


def test_quit_and_resume_return_to_the_take_home_with_its_time_and_last_submission(pack, drill_home, fake_judge):
    mono = FakeTime()
    fake_judge.release.set()

    def later() -> None:
        mono.t += 1200

    steps = [W("Press Enter to begin"), "\r", W("Your workspace"), write_answer(drill_home, "# mine\n"),
             CTRL_S, W("Submission 1 passed"), later, W("1:10:00 left"),
             CTRL_C, W("Quit the session?"), "y"]
    result, _screen = run_round(StartOptions(questions=[UID], packs=[pack]), steps, monotonic=mono)
    assert result.status == "interrupted" and attempts() == []
    (state,) = workspace.paused()
    assert state.index == 0 and state.used == pytest.approx(1200) and state.submissions == 1
    # Resumed: the same take-home, its time used, the workspace kept, the last submission counting.
    FakeSubmission.made = []
    steps = [W("Resuming"), "\r", W("Your workspace"), CTRL_X, W("Finish the take-home?"), "y",
             W("Your last submission, which counts"), "\r", W("Your answer · ^S submits"),
             WRITE_UP + CTRL_S, W("Grade yourself"), "\r", W("Model answer"), "\r"]
    result, screen = run_round(StartOptions(), steps, resume=True, monotonic=FakeTime())
    assert result.status == "completed"
    assert screen.seen("Resuming the take-home session at question 1 of 2, 20:00 already used on it")
    back = screen.frame_with("Your workspace")
    assert "Resumed with 20:00 already used" in back and "1:10:00 left of 1:30:00" in back
    assert "yours, kept" in back and "judged before the pause" in back
    assert (folder(drill_home) / "answer.py").read_text() == "# mine\n"
    assert FakeSubmission.made == []  # nothing judged again: the saved result counts
    take_home, writeup = attempts()
    assert take_home["uid"] == UID and take_home["seconds"] == pytest.approx(1200)
    assert take_home["score"] == pytest.approx((0.4915 - BASELINE) / (TARGET - BASELINE))
    assert take_home["submissions"] == 1 and take_home["answer"] == "# mine\n"
    assert writeup["uid"] == WRITEUP and writeup["verdict"] == "graded"
    assert workspace.paused() == []


def test_finish_with_nothing_judged_judges_answer_py_and_skip_asks_first(pack, drill_home, fake_judge):
    fake_judge.release.set()
    fake_judge.value = 0.1  # below the baseline: score 0
    steps = [W("Press Enter to begin"), "\r", W("Your workspace"), CTRL_X,
             W("Nothing is judged yet"), "y",
             W("Your last submission, which counts"), "\r", W("Your answer · ^S submits"),
             CTRL_O, W("Skip this question?"), "y", W("Skipped"), "\r"]
    result, screen = run_round(StartOptions(questions=[UID], packs=[pack]), steps)
    assert result.status == "completed"
    assert "Failed: score 0% of the way from the baseline to the target" in screen.frame_with("which counts")
    take_home, writeup = attempts()
    assert take_home["verdict"] == "failed" and take_home["score"] == 0.0 and take_home["submissions"] == 1
    assert "def fit" in take_home["answer"]  # the starter, as it was judged
    assert writeup["skipped"] == 1
    # Skipping the take-home itself asks first, and its write-up still follows.
    fake_judge.release.clear()
    steps = [W("Press Enter to begin"), "\r", W("Your workspace"), CTRL_S, W("judging answer.py"),
             CTRL_O, W("Skip this take-home?"), "n", 0.2, CTRL_O, W("Skip this take-home?"), "y",
             W("Skipped"), "\r", W("Your answer · ^S submits"), CTRL_O, W("Skip this question?"), "y",
             W("Skipped"), "\r"]
    result, _screen = run_round(StartOptions(questions=[UID], packs=[pack]), steps)
    assert result.status == "completed"
    assert fake_judge.made[-1].cancelled  # leaving stops the submission being judged
    rows = attempts()[2:]
    assert [(r["uid"], r["skipped"]) for r in rows] == [(UID, 1), (WRITEUP, 1)]


def test_the_strict_clock_judges_answer_py_as_it_stands(pack, drill_home, fake_judge):
    mono = FakeTime()
    fake_judge.release.set()

    def overtime() -> None:
        mono.t += 90 * 60 + 1

    steps = [W("Press Enter to begin"), "\r", W("Your workspace"), write_answer(drill_home, "# at zero\n"),
             overtime, W("Your last submission, which counts"), "\r", W("Your answer · ^S submits"),
             CTRL_O, W("Skip this question?"), "y", W("Skipped"), "\r"]
    result, _screen = run_round(StartOptions(questions=[UID], packs=[pack], strict=True), steps, monotonic=mono)
    assert result.status == "completed"
    take_home = attempts()[0]
    assert take_home["answer"] == "# at zero\n" and take_home["submissions"] == 1
    assert take_home["seconds"] > take_home["budget_seconds"] and take_home["verdict"] == "passed"


def test_a_workspace_that_cannot_be_written_is_said_and_nothing_is_judged(pack, drill_home, fake_judge):
    folder(drill_home).parent.mkdir(parents=True)
    folder(drill_home).write_text("a file where the folder should be")
    steps = [W("Press Enter to begin"), "\r", W("The workspace could not be written"), CTRL_S,
             W("There is no workspace to judge"), CTRL_C, W("Quit the session?"), "y"]
    result, screen = run_round(StartOptions(questions=[UID], packs=[pack]), steps)
    assert result.status == "interrupted" and fake_judge.made == [] and attempts() == []
    assert "takehome-card-fraud" in screen.frame_with("The workspace could not be written")


def test_the_last_submission_is_kept_for_exactly_its_text(tmp_path):
    from drill.render.check import check_text
    from drill.session.takehome import last_result_path, load_last, save_last

    copy = tmp_path / "01-answer.py"
    result = fake_result()
    save_last(copy, "# v1\n", result)
    back = load_last(copy, "# v1\n")
    assert back is not None and check_text(back) == check_text(result)
    assert back.score == result.score and back.verdict == result.verdict
    assert back.case_records() == result.case_records()
    assert load_last(copy, "# v2\n") is None  # another text: nothing counts
    last_result_path(copy).write_text('{"sha256": 3}')
    assert load_last(copy, "# v1\n") is None
    last_result_path(copy).write_bytes(b"\xff" * 10)
    assert load_last(copy, "# v1\n") is None


# ---------------------------------------------------------------- the real thing


@pytest.mark.slow
def test_take_home_round_in_a_terminal(pack, drill_home):
    pytest.importorskip("pexpect")
    pytest.importorskip("pyte")
    from tests.conftest import run_drill
    from tests.sessionkit import Pty

    t = Pty(["start", "--round", "take-home", "--tag", TAG, "--pack", str(pack)], drill_home,
            cols=100, rows=30, timeout=60)
    screen = t.wait("Press Enter to begin")
    assert "Card fraud with a daily review budget" in screen and "Write-up: the card fraud model" in screen
    t.send("\r")
    screen = t.wait("Your workspace")
    ws = folder(drill_home)
    right = "".join(line.split("│", 1)[1].rstrip() for line in screen.splitlines() if "│" in line)
    assert str(ws) in right  # the path, folded to the pane's width where it is longer
    assert "drill check model-fixture/card-fraud answer.py" in screen
    assert "1:30:00" in screen and "^S submit answer.py" in screen
    assert sorted(p.name for p in ws.iterdir()) == ["README.md", "answer.py", "dictionary.md", "train.csv.gz"]
    shutil.copyfile(ANSWERS / "reference.py", ws / "answer.py")
    t.send(CTRL_S)
    t.wait("judging answer.py")
    screen = t.wait(r"Submission 1 passed: recall_at_budget 0\.50", timeout=120)
    assert "answer    0.508" in screen and "baseline  0.1864" in screen and "⏱ 1:2" in screen
    t.send(CTRL_X)
    t.wait(r"Finish the take-home\?")
    t.send("y")
    t.wait("Your last submission, which counts")
    t.send("\r")
    t.wait(r"Your answer · \^S submits")
    t.send(WRITE_UP)
    t.settle(0.3)
    t.send(CTRL_S)
    t.wait("Grade yourself")
    t.send("\r")
    t.wait("Model answer")
    t.send("\r")
    assert t.finish() == 0
    rows = json.loads(run_drill("history", "--json", env={"DRILL_HOME": str(drill_home)}).stdout)
    by_uid = {r["uid"]: r for r in rows}
    assert by_uid[UID]["verdict"] == "passed" and by_uid[UID]["score"] > 0.9
    assert by_uid[WRITEUP]["verdict"] == "graded" and by_uid[WRITEUP]["answer"] == WRITE_UP
