"""`drill check` starts its runner before parsing the command line (drill.judge.prelaunch)."""

from __future__ import annotations

import json
import os
import sys

import pytest

from drill.judge import prelaunch, sandbox
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


# Run drill under a child subreaper: whatever it leaves running is re-parented to the
# reaper, so the test counts only what this drill started, not other drills on the machine.
REAPER = r"""
import ctypes, json, os, subprocess, sys
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
r = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=60)
left = []
for name in os.listdir("/proc"):
    try:
        with open(f"/proc/{name}/stat", "rb") as f:
            stat = f.read()
        with open(f"/proc/{name}/cmdline", "rb") as f:
            cmd = f.read()
    except (OSError, ValueError):
        continue
    state, ppid = stat[stat.rfind(b")") + 2:].split()[:2]
    if int(ppid) == os.getpid() and state != b"Z":
        left.append([int(name), cmd.replace(b"\0", b" ").decode(errors="replace")])
print(json.dumps({"code": r.returncode, "stdout": r.stdout, "stderr": r.stderr, "left": left}))
"""


def run_reaped(*args: str) -> dict:
    """Run drill; its exit code and output, and the processes it left running."""
    import subprocess
    import sys

    from tests.conftest import DRILL

    r = subprocess.run([sys.executable, "-c", REAPER, *DRILL, *args], capture_output=True, text=True,
                       timeout=90, env={**os.environ})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.skipif(not os.path.isdir("/proc") or not sys.platform.startswith("linux"),
                    reason="needs /proc and PR_SET_CHILD_SUBREAPER")
def test_an_early_runner_not_used_is_stopped(tmp_path):
    q = {"id": "q", "kind": "code", "round": "coding", "title": "T", "prompt": "Do it.", "function": "f",
         "tests": [{"args": [1], "expected": 1}]}
    pack = write_pack(tmp_path, q)
    good = tmp_path / "a.py"
    good.write_text("def f(x):\n    return x\n", encoding="utf-8")
    r = run_reaped("check", "tp/nope", str(good), "--pack", str(pack), "--sandbox", "none")
    assert r["code"] == 2 and "Traceback" not in r["stderr"]
    assert r["left"] == []
    r = run_reaped("check", "tp/q", str(good), "--pack", str(pack), "--sandbox", "none", "--json")
    assert r["code"] == 0 and json.loads(r["stdout"])["passed"] == 1, r["stderr"]
    assert r["left"] == []


@pytest.mark.skipif(not os.path.isdir("/proc") or not sys.platform.startswith("linux"),
                    reason="needs /proc and PR_SET_CHILD_SUBREAPER")
def test_the_reaper_sees_what_drill_leaves(tmp_path):
    # The check above can fail: a process drill started and left running is seen.
    r = run_reaped("--version")
    assert r["left"] == []
    import subprocess
    import sys as _sys

    probe = subprocess.run([_sys.executable, "-c", REAPER, "sh", "-c", "sleep 30 >/dev/null 2>&1 & exit 0"],
                           capture_output=True, text=True, timeout=60)
    left = json.loads(probe.stdout)["left"]
    for pid, _cmd in left:  # stop the sleeper this test started, by its pid
        os.kill(pid, 9)
    assert [cmd.strip() for _pid, cmd in left] == ["sleep 30"], left


# ---------------------------------------------------------------- a plain `drill check` without typer


def test_the_plain_parser_knows_exactly_checks_options():
    """drill.judge.prelaunch.plain_check stands in for typer on plain command lines: it
    must know every option `drill check` has (or typer would be skipped for one it does
    not), and give check.run the same keyword arguments typer gives check_cmd."""
    import inspect

    import typer.main

    from drill.cli import app, check_cmd
    from drill.commands import check

    command = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    options = {o for p in command.params for o in p.opts if o.startswith("--")} - {"--help"}
    assert options == set(prelaunch._FLAGS) | prelaunch._VALUED
    flags = {o for p in command.params if getattr(p, "is_flag", False) for o in p.opts}
    assert flags == set(prelaunch._FLAGS)
    run_params = set(inspect.signature(check.run).parameters)
    assert set(inspect.signature(check_cmd).parameters) == run_params
    parsed = prelaunch.plain_check(["check", "u", "f.py", "--examples", "--json", "--reveal", "--no-record",
                                    "--sandbox", "none", "--part=2", "--pack", "a", "--pack=b"])
    assert parsed is not None and set(parsed) == run_params
    assert parsed["part"] == 2 and [str(p) for p in parsed["pack"]] == ["a", "b"] and parsed["json_out"]


@pytest.mark.parametrize("args", [
    ["check", "u", "f.py", "--part", "x"], ["check", "u", "f.py", "--part", "-1"], ["check", "u", "f.py", "--part=１"],
    ["check", "u", "f.py", "--json=1"], ["check", "-h", "u", "f.py"], ["check", "u", "f.py", "--pack"],
])
def test_anything_unusual_goes_to_typer(args):
    assert prelaunch.plain_check(args) is None


def _drill_both_ways(args: list[str], cwd) -> tuple[tuple, tuple]:
    """(exit code, stdout, stderr) of `drill ARGS` run as the program (the plain path, no
    typer) and through typer in a subprocess; and whether the first imported typer."""
    import subprocess

    env = {**os.environ, "NO_COLOR": "1"}
    plain = subprocess.run([sys.executable, "-X", "importtime", "-m", "drill", *args], capture_output=True,
                           text=True, cwd=cwd, env=env, timeout=60)
    via_typer = subprocess.run([sys.executable, "-c", "import sys; from drill.cli import main; sys.argv[0] = 'x'; main()",
                                *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60)
    imports = [ln.rsplit("|", 1)[-1].strip() for ln in plain.stderr.splitlines() if ln.startswith("import time:")]
    errors = "\n".join(ln for ln in plain.stderr.splitlines() if not ln.startswith("import time:"))
    return (plain.returncode, plain.stdout, errors, "typer" in imports), \
        (via_typer.returncode, via_typer.stdout, via_typer.stderr, True)


def test_a_plain_check_skips_typer_and_says_the_same(tmp_path):
    q = {"id": "q", "kind": "code", "round": "coding", "title": "T", "prompt": "Do it.", "function": "f",
         "tests": [{"args": [1], "expected": 1}, {"args": [2], "expected": 2}],
         "examples": [{"args": [3], "expected": 3}]}
    pack = write_pack(tmp_path, q)
    (tmp_path / "good.py").write_text("def f(x):\n    return x\n", encoding="utf-8")
    (tmp_path / "bad.py").write_text("def f(x):\n    return 1\n", encoding="utf-8")
    common = ["--pack", str(pack), "--sandbox", "none"]
    for args, code in ((["tp/q", "good.py", "--no-record"], 0), (["tp/q", "bad.py", "--reveal", "--no-record"], 1),
                       (["tp/q", "bad.py", "--examples", "--json"], 1), (["tp/nope", "good.py"], 2),
                       (["tp/q", "missing.py"], 2), (["tp/q", "good.py", "--part", "3"], 2)):
        plain, typer_way = _drill_both_ways(["check", *args, *common], tmp_path)
        assert plain[0] == typer_way[0] == code, (args, plain, typer_way)
        assert not plain[3], f"the plain path imported typer for {args}"
        if "--json" in args:
            assert json.loads(plain[1])["verdict"] == json.loads(typer_way[1])["verdict"]
        else:  # times differ from run to run; the rest is the same
            assert [ln.split()[:2] for ln in plain[1].splitlines()] == [ln.split()[:2] for ln in typer_way[1].splitlines()]
        assert plain[2].strip() == typer_way[2].strip(), args
    # Recorded once each way, with the same outcome.
    for _ in range(2):
        plain, typer_way = _drill_both_ways(["check", "tp/q", "good.py", *common], tmp_path)
        assert plain[0] == typer_way[0] == 0 and "Recorded" in plain[2] and "Recorded" in typer_way[2]
    # Unusual arguments take typer's path, with typer's message.
    plain, typer_way = _drill_both_ways(["check", "tp/q", "good.py", "--part", "x", *common], tmp_path)
    assert plain[0] == typer_way[0] == 2 and plain[3] and "Invalid value" in plain[2]


def test_a_repeated_check_imports_no_pydantic_and_sql_starts_its_child_early(tmp_path):
    """The warm path: catalogue and spec caches, no pack models; an .sql answer's child is
    started before the command line is parsed, and one not used is stopped."""
    import subprocess

    code_q = {"id": "q", "kind": "code", "round": "coding", "title": "T", "prompt": "Do it.", "function": "f",
              "tests": [{"args": [1], "expected": 1}]}
    sql_q = {"id": "s", "kind": "sql", "round": "sql", "title": "S", "prompt": "Over 10.",
             "schema": "CREATE TABLE trades (id INTEGER, amount REAL);",
             "tests": [{"data": {"trades": [[3, 11.0], [4, 9.0]]}, "expected": [[3]]}]}
    pack = write_pack(tmp_path, code_q, sql_q)
    (tmp_path / "a.py").write_text("def f(x):\n    return x\n", encoding="utf-8")
    (tmp_path / "a.sql").write_text("SELECT id FROM trades WHERE amount > 10", encoding="utf-8")
    for uid, answer in (("tp/q", "a.py"), ("tp/s", "a.sql")):
        for attempt in range(2):
            r = subprocess.run([sys.executable, "-X", "importtime", "-m", "drill", "check", uid, answer, "--pack",
                                str(pack), "--sandbox", "none"], capture_output=True, text=True, cwd=tmp_path,
                               timeout=60)
            assert r.returncode == 0, r.stderr[-2000:]
            imported = {ln.rsplit("|", 1)[-1].strip() for ln in r.stderr.splitlines() if ln.startswith("import time:")}
            assert ("pydantic" in imported) == (attempt == 0), (uid, attempt)
            assert "typer" not in imported
            if uid == "tp/s":  # the child module is imported by prelaunch, before the catalogue
                order = [ln.rsplit("|", 1)[-1].strip() for ln in r.stderr.splitlines() if ln.startswith("import time:")]
                assert order.index("drill.sql.child") < order.index("drill.packs.catalog")
    r = run_reaped("check", "tp/q", str(tmp_path / "a.sql"), "--pack", str(pack))
    assert r["code"] == 2 and "is a code question" in r["stderr"] and r["left"] == []
    r = run_reaped("check", "tp/s", str(tmp_path / "a.sql"), "--pack", str(pack), "--json")
    assert r["code"] == 0 and r["left"] == [], r


@pytest.mark.parametrize("kill_first", [False, True])
def test_an_early_runner_gets_its_config_before_its_hello_or_a_replacement_gets_it(kill_first):
    # The question is known while the runner boots: its config is sent at once, and the
    # runner loads the answer straight after its hello. A runner that dies before its hello
    # is replaced, and the replacement is configured in its turn.
    import signal

    from drill.judge.code import judge_spec
    from drill.judge.spec import Case, Spec

    source = "def f(x):\n    return x * 2\n"
    launched = sandbox.Launch("auto", source)
    if kill_first:
        assert launched.child is not None
        os.killpg(launched.child.proc.pid, signal.SIGKILL)
        launched.child.proc.wait()
    spec = Spec(uid="tp/q", entry="f", is_class=False,
                cases=[Case(f"t{i}", True, {"args": [i], "kwargs": {}}, 2 * i) for i in range(3)])
    result, _ = judge_spec(spec, source, "auto", launched)
    assert result.verdict == "passed", result.to_json()
