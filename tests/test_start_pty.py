"""The real `drill start`, driven in a pseudo-terminal as a person would (80x24)."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

from tests.sessionkit import ANSWER, paste  # noqa: E402


class Terminal:
    """A pexpect child that answers prompt-toolkit's cursor-position requests as a
    real terminal does (without the answer it cannot place the bottom toolbar)."""

    CPR = "\x1b[6n"

    def __init__(self, args: list[str], drill_home: Path) -> None:
        env = {**os.environ, "DRILL_HOME": str(drill_home), "TERM": "xterm-256color",
               "COLUMNS": "80", "LINES": "24"}
        env.pop("NO_COLOR", None)
        self.child = pexpect.spawn(sys.executable, ["-m", "drill", *args], env=env, dimensions=(24, 80),
                                   encoding="utf-8", timeout=30)

    def expect(self, pattern) -> None:
        while True:
            i = self.child.expect([pattern, re.escape(self.CPR)])
            if i == 0:
                return
            self.child.send("\x1b[12;1R")

    def send(self, text: str) -> None:
        self.child.send(text)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus


def spawn(args: list[str], drill_home: Path) -> Terminal:
    return Terminal(args, drill_home)


def test_coding_then_open_question_end_to_end(session_pack, drill_home):
    child = spawn(["start", "--question", "t/add", "--question", "t/drift", "--pack", str(session_pack)], drill_home)
    child.expect("Press Enter to begin")
    child.send("\r")
    child.expect("run examples")  # the editor's key line
    # A resized terminal redraws the editor and its key line.
    child.child.setwinsize(30, 100)
    child.expect("run examples")
    child.send(paste(ANSWER))
    child.send("\x12")  # Ctrl-R: visible examples, without leaving the editor
    child.expect(r"1/1 cases")
    child.send("\x13")  # Ctrl-S: hidden tests; all pass, so the question ends
    child.expect(r"passed · score 100%")
    child.expect("Ctrl-S submits")
    child.send("Watch PSI per feature for population stability against training. Alert on a shift in the score distribution or the score histogram.")
    child.send("\x13")
    child.expect("enter confirm")
    child.send("\r")
    child.expect("model answer")
    child.expect("Session summary")
    assert child.finish() == 0

    from tests.conftest import run_drill

    r = run_drill("history", "--json", env={"DRILL_HOME": str(drill_home)})
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    by_uid = {row["uid"]: row for row in rows}
    assert by_uid["t/add"]["verdict"] == "passed" and by_uid["t/add"]["score"] == 1.0
    assert by_uid["t/drift"]["verdict"] == "graded" and by_uid["t/drift"]["score"] == pytest.approx(2 / 3)


def test_ctrl_c_quits_with_130_and_keeps_finished_attempts(session_pack, drill_home):
    child = spawn(["start", "--question", "t/auc", "--question", "t/add", "--pack", str(session_pack)], drill_home)
    child.expect("Press Enter to begin")
    child.send("\r")
    child.expect("Your answer")
    child.send("A\r")
    child.expect("Right")
    child.expect("run examples")
    child.send(paste("\n# half done\n"))
    # Autosave: the typed text reaches the workspace within a few seconds, while the
    # session is still running (a crash or a closed terminal would not lose it).
    deadline = time.monotonic() + 10
    saved: list[Path] = []
    while time.monotonic() < deadline:
        saved = [p for p in (drill_home / "workspace").glob("session-*/02-t__add.py")
                 if "# half done" in p.read_text()]
        if saved:
            break
        time.sleep(0.25)
    assert saved, "the answer was not autosaved"
    child.send("\x03")
    child.expect(r"Quit the session\?")
    child.send("y\r")
    child.expect("drill start --resume")
    assert child.finish() == 130

    from tests.conftest import run_drill

    rows = json.loads(run_drill("history", "--json", env={"DRILL_HOME": str(drill_home)}).stdout)
    assert [r["uid"] for r in rows] == ["t/auc"]
    # The half-written answer is back when the session resumes.
    child = spawn(["start", "--resume"], drill_home)
    child.expect("Resuming")
    child.expect("# half done")
    child.send("\x03")
    child.expect(r"Quit the session\?")
    child.send("y\r")
    assert child.finish() == 130
