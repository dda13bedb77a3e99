"""The real `drill start` in a pseudo-terminal, its screen emulated (pyte), at 80x24 and
120x40: what a person sees while typing, running, submitting and between questions."""

from __future__ import annotations

import json
import time

import pytest

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from tests.sessionkit import CLEAR, CTRL_A, CTRL_C, CTRL_K, CTRL_R, CTRL_S, CTRL_Y, CTRL_Z, UP, Pty

# Six lines of an indented function, sent in one write as a terminal without bracketed
# paste delivers a paste: auto-indent must not apply (no staircase).
SIX_LINES = ("def add(a, b):\n"
             "    total = 0\n"
             "    for x in (a, b):\n"
             "        if x:\n"
             "            total += x\n"
             "    return total\n")


@pytest.mark.slow
@pytest.mark.parametrize(("cols", "rows"), [(80, 24), (120, 40)])
def test_round_screen(session_pack, drill_home, cols, rows):
    t = Pty(["start", "--question", "t/add", "--question", "t/auc", "--pack", str(session_pack)],
            drill_home, cols=cols, rows=rows)
    t.wait("Press Enter to begin")
    t.send("\r")
    t.wait(r"\^S submit")
    title = "Q1/2 · Add two numbers"
    t.send(CLEAR)
    t.settle(0.2)
    t.send(SIX_LINES.replace("return total", "return -total"))  # a wrong answer first, pasted
    screen = t.settle(0.4)
    assert title in screen  # while typing
    # Indentation kept line for line (the editor shows "N <code>").
    for n, line in enumerate(SIX_LINES.replace("return total", "return -total").splitlines(), 1):
        assert f"{n} {line}" in screen, screen
    t.send(CTRL_R)
    screen = t.wait("Examples failed: 0 of 1 cases passed")
    assert title in screen  # after a run
    t.send(CTRL_S)
    screen = t.wait("Submission failed: 1 of 3 cases passed")
    assert title in screen  # after a failing submit
    assert "First failing example" in screen or cols < 100
    # Fix the last line; then Ctrl-Z (undo) and Ctrl-Y (redo) insert nothing.
    t.send(UP + CTRL_A + CTRL_K)
    t.settle(0.2)
    t.send("    return total")
    t.settle(0.2)
    t.send(CTRL_Z)
    t.settle(0.2)
    t.send(CTRL_Y)
    screen = t.settle(0.3)
    above_bar = "\n".join(screen.splitlines()[:-4])
    assert "6     return total" in above_bar and "^Z" not in above_bar, screen
    t.send(CTRL_S)
    screen = t.wait("Reference solution")
    assert "Passed: 3 of 3 cases passed" in screen
    assert "the next clock starts when you press Enter" in screen
    # The feedback stays, and nothing of Q2 runs while it does.
    time.sleep(2.2)
    assert "Reference solution" in t.settle(0.3) and "Q2/2" not in t.text().split("\n")[0]
    t.send("\r")
    screen = t.wait(r"Q2/2 ⏱ 0(3:00|2:5[89]) left")  # Q2 clock starts at Enter, not before
    t.send(CTRL_C)
    t.wait(r"Quit the session\?")
    t.send("y")
    assert t.finish() == 130
    out = t.output_after_exit()
    assert "Session paused at question 2 of 2" in out and "drill start --resume" in out

    from tests.conftest import run_drill

    rows_ = json.loads(run_drill("history", "--json", env={"DRILL_HOME": str(drill_home)}).stdout)
    (add,) = rows_
    assert add["uid"] == "t/add" and add["verdict"] == "passed" and add["submissions"] == 2
    assert "        if x:\n            total += x" in add["answer"] and "\x1a" not in add["answer"]


@pytest.mark.slow
def test_two_paused_sessions_both_resume(session_pack, drill_home):
    sids = []
    for q in ("t/add", "t/auc"):
        t = Pty(["start", "--question", q, "--pack", str(session_pack)], drill_home)
        t.wait("Press Enter to begin")
        t.send("\r")
        t.wait(r"\^O skip")
        t.send(CTRL_C)
        t.wait(r"Quit the session\?")
        t.send("y")
        assert t.finish() == 130
        sids.append(int(t.output_after_exit().split("--resume ")[1].split()[0].strip(".")))
    # Starting a third round says the paused ones are kept.
    t = Pty(["start", "--question", "t/bayes", "--pack", str(session_pack)], drill_home)
    t.wait("2 paused sessions are kept")
    t.send(CTRL_C)
    assert t.finish() == 130
    # Each can be resumed by id, and the picker lists both.
    t = Pty(["start", "--resume"], drill_home)
    screen = t.wait("Which paused session")
    assert f"#{sids[0]}" in screen and f"#{sids[1]}" in screen
    t.send("\x1b")
    t.finish()
    for sid, prompt in zip(sids, ["Add two numbers", "AUC"], strict=True):
        t = Pty(["start", "--resume", str(sid)], drill_home)
        t.wait("Resuming")
        t.send("\r")
        t.wait(prompt)
        t.send(CTRL_C)
        t.wait(r"Quit the session\?")
        t.send("y")
        assert t.finish() == 130


@pytest.mark.slow
def test_sigterm_restores_the_terminal_and_saves(session_pack, drill_home):
    import signal

    t = Pty(["start", "--question", "t/add", "--pack", str(session_pack)], drill_home)
    t.wait("Press Enter to begin")
    t.send("\r")
    t.wait(r"\^S submit")
    t.send("# typed before the signal")
    t.settle(0.3)
    t.child.kill(signal.SIGTERM)
    assert t.finish() == 130
    assert b"\x1b[?1049l" in t.raw  # left the alternate screen
    saved = list((drill_home / "workspace").glob("session-*/01-t__add.py"))
    assert saved and "# typed before the signal" in saved[0].read_text()
    assert list((drill_home / "workspace").glob("session-*/state.json"))


@pytest.mark.slow
def test_a_probe_and_a_code_part_in_a_real_terminal(stages_pack, drill_home):
    """Issue #16: the follow-up probes (and code parts) work in the real `drill start` at 80x24."""
    from tests.sessionkit import CTRL_O, CTRL_X, DOWN, paste
    from tests.test_stages import MAIN, POSITIVE, PROBE1, SUM

    t = Pty(["start", "--question", "s/drift", "--question", "s/total", "--pack", str(stages_pack)],
            drill_home, cols=80, rows=24)
    t.wait("Press Enter to begin")
    t.send("\r")
    t.wait(r"Your answer · \^S submits")
    t.send(MAIN)
    t.settle(0.3)
    t.send(CTRL_S)
    t.wait("Grade yourself")
    t.send(DOWN + " ")
    t.settle(0.2)
    t.send("\r")
    screen = t.wait("Follow-up 1 of 2")
    assert "The interviewer follows up:" in screen and "Chargebacks arrive 90 days late" in screen
    assert "Your answer to follow-up 1" in screen and "population stability" not in screen
    assert "fires every Monday" not in screen  # the next probe is not shown yet
    t.send(PROBE1)
    t.settle(0.3)
    t.send(CTRL_S)
    screen = t.wait("Grade follow-up 1")
    assert "[x] ! Train only on matured labels" in screen and "[ ]   Use early proxy" in screen
    t.send("\r")
    t.wait("Follow-up 2 of 2")
    t.send(CTRL_O)
    t.wait(r"End the follow-ups here\?")
    t.send("y")
    screen = t.wait("Your self-grading")
    assert "Self-graded: combined score 71%" in screen  # (1 + 0.5 * 0.5 + 0.25 * 0) / 1.75
    assert "(×0.25): skipped" in screen
    t.send("\r")
    t.wait(r"Q2/2 · Total of a list")
    t.send(CLEAR)
    t.settle(0.2)
    t.send(paste(SUM))
    t.settle(0.3)
    t.send(CTRL_S)
    screen = t.wait("Part 1 of 2 · Now only the positives")
    assert "Q2/2 · Total of a list · part 1/2" in screen and "return sum(xs)" in screen
    t.send(CTRL_S)
    t.wait("Submission failed: 1 of 4 cases passed")  # the part's own tests
    t.send(UP * 5 + CTRL_A + CLEAR)
    t.settle(0.2)
    t.send(paste(POSITIVE))
    t.settle(0.3)
    t.send(CTRL_S)
    screen = t.wait("Part 2 of 2 · Now as a stream")
    assert "class Running:" in screen
    t.send(CTRL_X)
    screen = t.wait("Reference solution")
    assert "Part 1: Now only the positives (×0.5): passed, 4 of 4 cases" in screen
    t.send("\r")
    assert t.finish() == 0

    from drill.progress.store import open_store

    with open_store() as store:
        drift, total = [dict(r) for r in store.read("SELECT * FROM attempts ORDER BY id")]
    assert [(m["part"], m["hit"]) for m in json.loads(drift["rubric"])] == [
        (0, True), (0, True), (0, True), (1, True), (1, False), (2, False)]
    assert [c["part"] for c in json.loads(total["cases"])] == [0] * 3 + [1] * 4 + [2] * 2
    assert total["score"] == 0.75 and total["submissions"] == 4
