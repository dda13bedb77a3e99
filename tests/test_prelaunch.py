"""`drill check` starts its runner before parsing the command line (drill.judge.prelaunch)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from drill.judge import prelaunch, sandbox
from tests.conftest import run_drill
from tests.judgekit import write_pack


@pytest.mark.parametrize(("args", "expected"), [
    (["check", "p/q", "a.py"], ("p/q", "a.py", "auto")),
    (["check", "--json", "p/q", "a.py", "--sandbox", "none", "--pack", "x.yaml"], ("p/q", "a.py", "none")),
    (["check", "p/q", "--sandbox=bwrap", "a.py", "--pack=x", "--no-record", "--reveal", "--examples"],
     ("p/q", "a.py", "bwrap")),
    (["check", "p/q", "a.py", "--help"], None),
    (["check", "p/q", "a.py", "--frobnicate"], None),
    (["check", "p/q"], None),
    (["check", "p/q", "a.py", "b.py"], None),
    (["check", "p/q", "a.py", "--sandbox"], None),
    (["check", "--", "p/q", "a.py"], None),
    (["start", "p/q", "a.py"], None),
])
def test_only_plain_checks_start_early(args, expected):
    assert prelaunch._parse(args) == expected


def test_is_drill():
    assert prelaunch.is_drill("/venv/bin/drill")
    assert prelaunch.is_drill(os.path.join("/src", "drill", "__main__.py"))
    assert not prelaunch.is_drill("/venv/bin/pytest")
    assert not prelaunch.is_drill(os.path.join("/src", "pytest", "__main__.py"))


def test_take_wants_the_same_answer_and_mode(tmp_path, monkeypatch):
    made = []

    class FakeLaunch:
        def __init__(self, requested, source, extra=None):
            self.cancelled = False
            self.child = None
            made.append(self)

        def cancel(self):
            self.cancelled = True

    monkeypatch.setattr(sandbox, "Launch", FakeLaunch)
    monkeypatch.setattr(prelaunch, "_early", None)
    f = tmp_path / "a.py"
    f.write_text("\ufeffdef f():\n    return 1\n", encoding="utf-8")
    prelaunch.start_early(["check", "p/q", str(f), "--sandbox", "none"])
    assert prelaunch.take("def f():\n    return 1\n", "none") is made[0] and not made[0].cancelled
    assert prelaunch.take("def f():\n    return 1\n", "none") is None  # taken once
    prelaunch.start_early(["check", "p/q", str(f), "--sandbox", "none"])
    assert prelaunch.take("def f():\n    return 2\n", "none") is None and made[1].cancelled
    prelaunch.start_early(["check", "p/q", str(tmp_path / "missing.py")])
    assert len(made) == 2 and prelaunch._early is None
    # A question that requires packages needs a runner started with site-packages, and the
    # other way round: a wrong hint only costs the early start.
    prelaunch.start_early(["check", "p/q", str(f)], lambda uid: ("numpy",) if uid == "p/q" else None)
    assert prelaunch.take("def f():\n    return 1\n", "auto", requires=False) is None and made[2].cancelled
    prelaunch.start_early(["check", "p/q", str(f)], lambda uid: ("numpy",))
    assert prelaunch.take("def f():\n    return 1\n", "auto", requires=True) is made[3]


def _runners() -> set[int]:
    found = set()
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                cmd = Path(f"/proc/{name}/cmdline").read_bytes()
            except OSError:
                continue
            # This checkout's runner only: other checkouts on a shared machine run their own.
            if str(sandbox.RUNNER).encode() in cmd and b"\0-I\0-S\0-B\0" in cmd:
                found.add(int(name))
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
def test_an_early_runner_not_used_is_stopped(tmp_path):
    q = {"id": "q", "kind": "code", "round": "coding", "title": "T", "prompt": "Do it.", "function": "f",
         "tests": [{"args": [1], "expected": 1}]}
    pack = write_pack(tmp_path, q)
    good = tmp_path / "a.py"
    good.write_text("def f(x):\n    return x\n", encoding="utf-8")
    before = _runners()
    r = run_drill("check", "tp/nope", str(good), "--pack", str(pack), "--sandbox", "none")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert _runners() <= before
    r = run_drill("check", "tp/q", str(good), "--pack", str(pack), "--sandbox", "none", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["passed"] == 1, r.stderr
    assert _runners() <= before
