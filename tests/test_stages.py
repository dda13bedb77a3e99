"""Later stages of one question in a round (issue #16): follow-up probes of an open
question and parts of a code question, headless on an emulated terminal as in
tests/test_session.py, with a real store and a fake clock moved by the test."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from drill.progress.schedule import AGAIN, EASY, GOOD, HARD, rating_for
from drill.progress.store import Attempt, open_store
from drill.session import workspace
from tests.sessionkit import CLEAR, CTRL_A, CTRL_C, CTRL_K, CTRL_O, CTRL_S, CTRL_X, DOWN, UP, paste
from tests.test_session import FakeTime, W, attempts, run_session

MAIN = "I would track PSI per feature, a population stability check. I retrain monthly, after label arrival."
PROBE1 = "I would train only on matured labels, older than the label delay."
PROBE2 = "Compare with the same weekday last week: weekly seasonality."
SUM = "def total(xs):\n    return sum(xs)\n"
POSITIVE = "def total(xs):\n    return sum(x for x in xs if x > 0)\n"


def first(screen, needle: str) -> int:
    """The index of the first frame that showed `needle`."""
    return next(i for i, f in enumerate(screen.frames) if needle in f)


def ratings() -> list[int]:
    with open_store() as store:
        return [r["rating"] for r in store.read("SELECT rating FROM review_logs ORDER BY id")]


# ---------------------------------------------------------------- open: follow-up probes


def test_probes_are_revealed_in_order_under_one_clock(stages_pack):
    mono = FakeTime()

    def later(seconds: float):
        def step() -> None:
            mono.t += seconds
        return step

    keys = ["\r", W("Your answer · ^S submits"), later(30), MAIN + CTRL_S,
            W("Grade yourself"), later(100), DOWN + " " + "\r",              # grading: not answer time
            W("Your answer to follow-up 1"), later(20), PROBE1 + CTRL_S,
            W("Grade follow-up 1"), later(100), "\r",
            W("Your answer to follow-up 2"), later(10), PROBE2 + CTRL_S,
            W("Grade follow-up 2"), later(100), "\r",
            W("Model answer"), "\r"]
    result, screen = run_session(stages_pack, keys, questions=["s/drift"], monotonic=mono, rows=70)
    assert result.status == "completed"
    # Each probe shows only once the stage before it is graded, in order.
    assert first(screen, "Grade yourself") < first(screen, "Chargebacks arrive 90 days late")
    assert first(screen, "Grade follow-up 1") < first(screen, "fires every Monday")
    probe1 = screen.frame_with("Your answer to follow-up 1")
    assert "Follow-up 1 of 2" in probe1 and "The interviewer follows up:" in probe1
    assert "Q1/1 · Watching drift · follow-up 1/2" in probe1
    assert screen.seen("Follow-up 1 of 2: the clock runs again.")
    assert "population stability check" not in probe1  # a fresh answer pane
    assert "How do you watch a fraud model" in probe1  # the main question is still there, below
    # The probe's own checklist, with its own suggestions and the words that matched.
    grading = screen.frame_with("Grade follow-up 1")
    assert "[x] ! Train only on matured labels" in grading
    assert "(suggested: matured labels, labe" in grading
    assert "[ ]   Use early proxy labels" in grading
    # The feedback: each stage's grading and each probe's model answer.
    feedback = screen.frame_with("Model answer")
    assert "combined score 86% (the main answer and 2 follow-up probe(s))" in feedback
    assert "Follow-up 1: Chargebacks arrive 90 days late. How do you evaluate this month? (×0.5): 50%" in feedback
    assert "Track PSI per feature and the score distribution" in feedback
    assert "Follow-up 1: model answer" in feedback and "dispute-based proxy labels" in feedback
    assert "Follow-up 2: model answer" in feedback and "Monday traffic differs" in feedback

    (row,) = attempts()
    # Answer time only: 30 + 20 + 10 seconds; the 300 seconds of grading are not counted.
    assert row["seconds"] == pytest.approx(60.0)
    assert row["score"] == pytest.approx((1.0 + 0.5 * 0.5 + 0.25 * 1.0) / (1 + 0.5 + 0.25))
    marks = json.loads(row["rubric"])
    assert [(m["part"], m["hit"]) for m in marks] == [(0, True), (0, True), (0, True), (1, True), (1, False), (2, True)]
    assert [m["must"] for m in marks] == [True, False, False, True, False, False]
    assert row["verdict"] == "graded" and row["skipped"] == 0
    assert row["answer"].startswith(MAIN) and PROBE1 in row["answer"] and PROBE2 in row["answer"]
    assert row["answer"].index(PROBE1) < row["answer"].index(PROBE2)
    assert ratings() == [GOOD]
    assert workspace.paused() == []


def test_a_missed_must_point_in_a_probe_rates_again(stages_pack):
    # Everything ticked but the probe's must point: the score alone would be Good.
    keys = ["\r", W("Your answer · ^S submits"), MAIN + CTRL_S, W("Grade yourself"), DOWN + " " + "\r",
            W("Your answer to follow-up 1"), "Meanwhile watch proxy labels from disputes." + CTRL_S,
            W("Grade follow-up 1"), "\r",
            W("Your answer to follow-up 2"), PROBE2 + CTRL_S, W("Grade follow-up 2"), "\r",
            W("Model answer"), "\r"]
    run_session(stages_pack, keys, questions=["s/drift"])
    (row,) = attempts()
    assert row["score"] == pytest.approx(1.5 / 1.75)
    marks = json.loads(row["rubric"])
    assert [m["point"] for m in marks if m["must"] and not m["hit"]] == [
        "Train only on matured labels older than the label delay"]
    assert ratings() == [AGAIN]


def test_skip_on_a_probe_asks_then_ends_the_probes(stages_pack):
    keys = ["\r", W("Your answer · ^S submits"), MAIN + CTRL_S, W("Grade yourself"), DOWN + " " + "\r",
            W("Your answer to follow-up 1"), "half an ans", CTRL_O, W("End the follow-ups here?"), "n",
            0.3, "wer" + CTRL_O, 0.2, "y",
            W("Model answer"), "\r"]
    _result, screen = run_session(stages_pack, keys, questions=["s/drift"], rows=70)
    asked = screen.frame_with("End the follow-ups here?")
    assert "This one and any after it score 0" in asked
    assert not screen.seen("Your answer to follow-up 2")  # the probes ended there
    feedback = screen.frame_with("Model answer")
    assert "(×0.5): skipped" in feedback and "(×0.25): not reached" in feedback
    assert "Follow-up 2: model answer" in feedback  # every probe's model answer is shown
    (row,) = attempts()
    assert row["skipped"] == 0 and row["verdict"] == "graded"
    assert row["score"] == pytest.approx(1.0 / 1.75)
    marks = json.loads(row["rubric"])
    assert [(m["part"], m["hit"]) for m in marks] == [(0, True)] * 3 + [(1, False), (1, False), (2, False)]
    assert "half an answer" in row["answer"]  # typed before the skip: kept
    assert ratings() == [AGAIN]  # the skipped probe's must point was not made


def test_resume_mid_probe_continues_at_the_probe(stages_pack, drill_home):
    mono = FakeTime()

    def later(seconds: float):
        def step() -> None:
            mono.t += seconds
        return step

    keys = ["\r", W("Your answer · ^S submits"), later(40), MAIN + CTRL_S, W("Grade yourself"), "\r",
            W("Your answer to follow-up 1"), later(15), "I would train only on", 0.2, CTRL_C,
            W("Quit the session?"), "y"]
    result, _ = run_session(stages_pack, keys, questions=["s/drift"], monotonic=mono)
    assert result.status == "interrupted" and attempts() == []
    (state,) = workspace.paused()
    assert state.part == 1 and state.used == pytest.approx(55.0)
    assert [(r["part"], r["hits"], r["score"]) for r in state.parts] == [(0, [True, False, True], 2 / 3)]
    saved = state.answer_path(0, "open", 1)
    assert saved.name == "01-s__drift.part-1.md" and saved.read_text() == "I would train only on"

    keys = [W("Resuming"), "\r", W("Your answer to follow-up 1"), " matured labels, older than the label delay."
            + CTRL_S, W("Grade follow-up 1"), "\r", W("Your answer to follow-up 2"), PROBE2 + CTRL_S,
            W("Grade follow-up 2"), "\r", W("Model answer"), "\r"]
    result, screen = run_session(stages_pack, keys, questions=[], resume=True, monotonic=mono)
    assert "(at its follow-up stage 1)" in screen.frame_with("Resuming")
    back = screen.frame_with("Your answer to follow-up 1")
    assert "I would train only on" in back and "Follow-up 1 of 2" in back
    assert result.status == "completed"
    (row,) = attempts()
    marks = json.loads(row["rubric"])
    # The main grading from the first sitting is kept (point 2 left unticked then).
    assert [(m["part"], m["hit"]) for m in marks] == [(0, True), (0, False), (0, True), (1, True), (1, False), (2, True)]
    assert row["score"] == pytest.approx((2 / 3 + 0.5 * 0.5 + 0.25) / 1.75)
    assert row["answer"].startswith(MAIN) and PROBE1 in row["answer"]
    assert row["seconds"] == pytest.approx(55.0)  # the fake clock did not move in the second sitting


def test_strict_clock_asks_no_probe_once_the_time_is_up(stages_pack):
    mono = FakeTime()

    class Jump:
        def __call__(self) -> float:
            mono.t += 20  # every read of the clock: the 5-minute budget runs out while answering
            return mono.t

    keys = ["\r", W("Grade yourself"), 0.2, "\r", W("Model answer"), "\r"]
    _result, screen = run_session(stages_pack, keys, questions=["s/drift"], strict=True, monotonic=Jump(), rows=60)
    assert not screen.seen("Follow-up 1 of 2")
    assert "(×0.5): not reached" in screen.frame_with("Model answer")
    (row,) = attempts()
    assert [m["part"] for m in json.loads(row["rubric"])] == [0, 0, 0, 1, 1, 2]
    assert ratings() == [AGAIN]


# ---------------------------------------------------------------- code: parts


def test_code_parts_revealed_after_a_pass_each_judged_on_its_own_tests(stages_pack):
    keys = ["\r", W("Your answer · Python"), CLEAR + paste(SUM) + CTRL_S,
            W("Part 1 of 2 · Now only the positives"), 0.2, CTRL_S,              # the kept code, on part 1's tests
            W("Submission failed: 1 of 4 cases passed"), UP * 5 + CTRL_A + CLEAR + paste(POSITIVE) + CTRL_S,
            W("Part 2 of 2 · Now as a stream"), 0.2, CTRL_X,                      # move on: the starter is judged
            W("Reference solution"), "\r"]
    result, screen = run_session(stages_pack, keys, questions=["s/total"], rows=80)
    assert result.status == "completed"
    part1 = screen.frame_with("Part 1 of 2 · Now only the positives")
    assert "Q1/1 · Total of a list · part 1/2" in part1
    assert "return sum(xs)" in part1  # the editor keeps the candidate's code
    assert "Nothing run yet" in part1  # and the results pane starts clean
    assert "[1, -2, 3]" in part1  # the part's own examples
    assert screen.seen("Return the sum of a list of numbers.")  # the main prompt, below
    part2 = screen.frame_with("Part 2 of 2 · Now as a stream")
    assert "class Running:" in part2 and "return None" in part2  # the part's own starter
    assert "Your answer defines the class Running." in part2
    feedback = screen.frame_with("Reference solution")
    assert "Failed: combined score 75% (the main part and 2 part(s))" in feedback
    assert "Main part: passed, 3 of 3 cases" in feedback
    assert "Part 1: Now only the positives (×0.5): passed, 4 of 4 cases" in feedback
    assert "Part 2: Now as a stream (×0.5): failed, 0 of 2 cases" in feedback
    assert "Reference solution · part 1: Now only the positives" in feedback
    assert "sum(x for x in xs if x > 0)" in feedback
    assert "Reference solution · part 2: Now as a stream" in feedback and "self.t += x" in feedback

    (row,) = attempts()
    assert row["score"] == pytest.approx((1.0 + 0.5 * 1.0 + 0.5 * 0.0) / 2.0)
    assert row["verdict"] == "failed"  # not every part passed
    cases = json.loads(row["cases"])
    assert [c["part"] for c in cases] == [0] * 3 + [1] * 4 + [2] * 2
    assert [c["status"] == "passed" for c in cases] == [True] * 7 + [False] * 2
    assert row["submissions"] == 4  # 1 on the main part, 2 on part 1, 1 judged by ^X on part 2
    assert "sum(x for x in xs if x > 0)" in row["answer"] and "class Running" in row["answer"]
    assert ratings() == [HARD]  # 75% is Good by score, but a judged answer that never fully passed


def test_resume_mid_part_continues_at_the_part(stages_pack):
    keys = ["\r", W("Your answer · Python"), CLEAR + paste(SUM) + CTRL_S,
            W("Part 1 of 2 · Now only the positives"), 0.2, "# next: filter", 0.2, CTRL_C,
            W("Quit the session?"), "y"]
    result, _ = run_session(stages_pack, keys, questions=["s/total"])
    assert result.status == "interrupted"
    (state,) = workspace.paused()
    assert state.part == 1 and state.submissions == 1
    assert [(r["part"], r["status"], r["score"], len(r["cases"])) for r in state.parts] == [(0, "passed", 1.0, 3)]
    keys = [W("Resuming"), "\r", W("Part 1 of 2"), 0.2, UP * 5 + CTRL_A + CTRL_K * 12 + paste(POSITIVE) + CTRL_S,
            W("Part 2 of 2"), 0.2, CTRL_O, W("End the parts here?"), "y", W("Reference solution"), "\r"]
    result, screen = run_session(stages_pack, keys, questions=[], resume=True, rows=60)
    assert "# next: filter" in screen.frame_with("Part 1 of 2")  # the code typed before the pause
    assert result.status == "completed"
    (row,) = attempts()
    cases = json.loads(row["cases"])
    assert [c["part"] for c in cases] == [0] * 3 + [1] * 4  # part 2 ended by ^O: no cases
    assert row["score"] == pytest.approx(1.5 / 2.0) and row["submissions"] == 2


# ---------------------------------------------------------------- rating with parts


def _code(cases_per_part: list[int], submissions: int, score: float = 1.0, verdict: str = "passed") -> Attempt:
    now = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
    cases = [{"name": "c", "status": "passed", "part": k} for k, n in enumerate(cases_per_part) for _ in range(n)]
    return Attempt(uid="p/c", pack="p", round="coding", kind="code", difficulty="medium", tags=("t",),
                   started_at=now - timedelta(seconds=60), ended_at=now, score=score, verdict=verdict,
                   budget_seconds=900, submissions=submissions, cases=cases)


@pytest.mark.parametrize(("parts", "submissions", "expected"), [
    ([3], 1, EASY),
    ([3, 2, 2], 3, EASY),  # one passing submission per part is a first-try pass
    ([3, 2, 2], 4, GOOD),  # one failed submission on some part
    ([3, 2, 2], 5, HARD),
    ([3, 2], 2, EASY),
])
def test_rating_counts_one_submission_per_part(parts, submissions, expected):
    assert rating_for(_code(parts, submissions)) == expected


def test_rating_a_must_point_missed_in_any_part():
    a = _code([1], 1, score=0.9, verdict="graded")
    a.kind, a.cases = "open", None
    a.rubric = [{"point": "x", "must": True, "hit": True, "part": 0},
                {"point": "y", "must": True, "hit": False, "part": 2}]
    assert rating_for(a) == AGAIN
    a.rubric[1]["hit"] = True
    assert rating_for(a) == GOOD


# ---------------------------------------------------------------- the records, read back


def test_a_damaged_stage_record_never_crashes_or_inflates_the_score(stages_pack):
    from drill.session import stages

    records = stages.clean([{"part": 0, "status": "graded", "hits": [True, "yes", 1]},
                            {"part": 0, "status": "graded", "hits": [True, True, True]},  # duplicate: ignored
                            {"part": "1"}, "junk", {"part": 7, "status": "graded"}], upto=2)
    assert records == [{"part": 0, "status": "graded", "hints": 0, "hits": [True, False, False], "score": 0.0}]
    # A score written into a record is never what the attempt is scored on.
    from drill.packs.catalog import load_catalog

    q = load_catalog([stages_pack]).load("s/drift").question
    forged = stages.clean([{"part": 0, "status": "graded", "score": 1.0, "hits": [False, False, False]}], upto=1)
    assert forged[0]["score"] == 1.0 and stages.stage_score(q, 0, forged[0]) == 0.0
    assert stages.open_outcome(q, forged, {0: ""}).score == 0.0


def test_state_with_a_bad_stage_is_an_error_not_a_crash(stages_pack, drill_home):
    from drill.errors import InputError

    run_session(stages_pack, "\r" + CTRL_C + "y", questions=["s/drift"])
    (state,) = workspace.paused()
    data = json.loads(state.state_path.read_text())
    data["part"] = "two"
    state.state_path.write_text(json.dumps(data))
    with pytest.raises(InputError, match="unreadable"):
        workspace.load(state.session_id)


# ---------------------------------------------------------------- drill show --solution


def test_show_solution_prints_each_probe_and_each_part(stages_pack, cli):
    code, out, _ = cli("show", "s/drift", "--solution", "--pack", str(stages_pack))
    assert code == 0
    assert "2 follow-up probe(s) revealed in a session" in out
    one, two = out.index("follow-up 1 of 2 · weight 0.5"), out.index("follow-up 2 of 2 · weight 0.25")
    assert out.index("Track PSI per feature") < one < two
    probe1 = out[one:two]
    assert "Chargebacks arrive 90 days late" in probe1
    assert "must Train only on matured labels older than the label delay (weight 1)" in probe1
    assert "Use early proxy labels such as disputes" in probe1
    assert "dispute-based proxy labels" in probe1  # its model answer
    assert "Compare against the same weekday" in out[two:] and "Monday traffic differs" in out[two:]

    code, out, _ = cli("show", "s/total", "--solution", "--pack", str(stages_pack))
    assert code == 0
    one, two = out.index("part 1 of 2 · weight 0.5"), out.index("part 2 of 2 · weight 0.5")
    assert out.index("return sum(xs)") < one
    assert "Now only the positives" in out[one:two] and "sum(x for x in xs if x > 0)" in out[one:two]
    assert "Now as a stream" in out[two:] and "self.t += x" in out[two:]
    # Without --solution nothing of the probes' or parts' answers shows.
    code, out, _ = cli("show", "s/total", "--pack", str(stages_pack))
    assert code == 0 and "x > 0" not in out and "2 follow-up part(s) revealed in a session" in out


def test_editor_mode_opens_each_part_on_its_own_file(stages_pack, tmp_path, monkeypatch, drill_home):
    # A stand-in for $EDITOR that writes the right answer for the file it is given.
    editor = tmp_path / "fake-editor"
    sols = {"part-1": POSITIVE, "part-2": (stages_pack.parent / "sol" / "running.py").read_text(), "": SUM}
    editor.write_text("#!/bin/sh\ncase \"$1\" in\n" + "".join(
        f"  *{key}*) printf '%s' '{text}' > \"$1\" ;;\n" for key, text in sols.items()) + "esac\n")
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    keys = ["\r", W("Part 1 of 2"), 0.3, "\r", W("Part 2 of 2"), 0.3, "\r", W("Reference solution"), "\r"]
    _result, screen = run_session(stages_pack, keys, questions=["s/total"], editor=True)
    assert "Part 1 of 2: read it, then Enter opens its file." in screen.frame_with("Part 1 of 2")
    (folder,) = (drill_home / "workspace").glob("session-*")
    assert (folder / "01-s__total.py").read_text() == SUM
    assert (folder / "01-s__total.part-1.py").read_text() == POSITIVE
    assert "self.t += x" in (folder / "01-s__total.part-2.py").read_text()
    (row,) = attempts()
    assert row["verdict"] == "passed" and row["score"] == 1.0 and row["submissions"] == 3
    assert [c["part"] for c in json.loads(row["cases"])] == [0] * 3 + [1] * 4 + [2] * 2
    assert ratings() == [EASY]  # one passing submission per part, in time, no hints


def test_a_tiny_terminal_shows_the_probe_first(stages_pack):
    keys = ["\r", W("^S submit"), "psi" + CTRL_S, W("Grade yourself"), "\r", W("Follow-up 1 of 2"), 0.2,
            "\x1bOQ", W("Your answer to follow-up 1"), 0.2, "late labels" + CTRL_S, W("Grade follow-up 1"),
            "\r", W("Follow-up 2 of 2"), 0.2, CTRL_O, W("End the follow-ups"), "y", W("Self-graded"), "\r"]
    result, screen = run_session(stages_pack, keys, questions=["s/drift"], cols=56, rows=14)
    assert result.status == "completed"
    probe = screen.frame_with("Follow-up 1 of 2")
    assert "Chargebacks arrive 90 days late" in probe and "Your answer to follow-up 1" not in probe
    assert "late labels" in attempts()[0]["answer"]
