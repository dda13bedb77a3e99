"""The code judge's behaviour and `drill check` as a command (exit codes, JSON, rendering)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drill.judge import sandbox
from drill.judge.code import judge_code
from tests.conftest import run_drill
from tests.judgekit import MODES, Tracker, bwrap_works, code_question, load, write_pack

ADD = code_question(
    id="add", function="add",
    examples=[{"args": [1, 2], "expected": 3}],
    tests=[{"name": "small", "args": [2, 2], "expected": 4},
           {"args": [-5, 5], "expected": 0},
           {"name": "kw", "args": [1], "kwargs": {"b": 41}, "expected": 42}],
)
STACK = code_question(
    id="stack", **{"class": "MinStack"},
    tests=[{"calls": [["__init__", []], ["push", [3]], ["push", [1]], ["min", []], ["pop", []], ["min", []]],
            "expected": [None, None, None, 1, 1, 3]},
           {"calls": [["__init__", [[2, 5]]], ["min", []]], "expected": [None, 2]}],
)
GOOD_STACK = """
class MinStack:
    def __init__(self, items=()):
        self.items = []
        for x in items:
            self.push(x)
    def push(self, x):
        self.items.append((x, min(x, self.items[-1][1]) if self.items else x))
    def pop(self):
        return self.items.pop()[0]
    def min(self):
        return self.items[-1][1]
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path, ADD, STACK)


def answer(tmp_path: Path, source: str, name: str = "answer.py") -> Path:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return path


# ---------------------------------------------------------------- judging


@pytest.mark.parametrize("mode", MODES)
def test_a_correct_function_passes_every_case(pack, monkeypatch, tmp_path, mode):
    tracker = Tracker(monkeypatch, tmp_path)
    result = judge_code(load(pack, "tp/add"), "def add(a, b=0):\n    return a + b\n", sandbox=mode)
    assert [(c.name, c.hidden, c.status) for c in result.cases] == [
        ("example-1", False, "passed"), ("small", True, "passed"), ("test-2", True, "passed"),
        ("kw", True, "passed")]
    assert result.verdict == "passed" and result.passed == result.total == 4
    assert all(0 <= c.time_ms < 1000 for c in result.cases)
    tracker.assert_clean()


@pytest.mark.parametrize("mode", MODES)
def test_class_questions_make_each_call_in_order(pack, monkeypatch, tmp_path, mode):
    loaded = load(pack, "tp/stack")
    assert judge_code(loaded, GOOD_STACK, sandbox=mode).verdict == "passed"
    off_by_one = GOOD_STACK.replace("return self.items[-1][1]", "return self.items[0][1]")
    result = judge_code(loaded, off_by_one, sandbox=mode)
    assert [c.status for c in result.cases] == ["wrong_answer", "passed"]
    assert result.cases[0].actual == [None, None, None, 3, 1, 3]
    broken = GOOD_STACK.replace("return self.items.pop()[0]", "raise IndexError('empty stack')")
    result = judge_code(loaded, broken, sandbox=mode)
    assert result.cases[0].status == "runtime_error"
    assert "IndexError: empty stack" in result.cases[0].message and "call 5, pop" in result.cases[0].message


def test_examples_only_runs_only_the_visible_examples(pack):
    result = judge_code(load(pack, "tp/add"), "def add(a, b=0):\n    return a + b\n", examples_only=True, sandbox="none")
    assert [(c.name, c.hidden) for c in result.cases] == [("example-1", False)]


def test_one_failing_case_does_not_fail_the_others(pack):
    source = ("import ctypes\n"
              "def add(a, b=0):\n"
              "    if a == 2:\n        ctypes.string_at(0)\n"
              "    if a == -5:\n        raise ValueError('no negatives')\n"
              "    return a + b\n")
    result = judge_code(load(pack, "tp/add"), source, sandbox="none")
    assert [c.status for c in result.cases] == ["passed", "runtime_error", "runtime_error", "passed"]
    assert "SIGSEGV" in result.cases[1].message
    assert result.cases[2].message.startswith("ValueError: no negatives (line 6)")


def test_missing_or_wrong_entry_point(pack):
    result = judge_code(load(pack, "tp/add"), "def plus(a, b):\n    return a + b\n", sandbox="none")
    assert {c.status for c in result.cases} == {"runtime_error"}
    assert "defines no function named 'add'" in result.cases[0].message
    result = judge_code(load(pack, "tp/stack"), "def MinStack():\n    pass\n", sandbox="none")
    assert "not a class" in result.cases[0].message


def test_syntax_error_is_reported_on_every_case_with_its_line(pack):
    result = judge_code(load(pack, "tp/add"), "def add(a, b):\n    return (a +\n", sandbox="none")
    assert {c.status for c in result.cases} == {"syntax_error"}
    assert result.error is not None and "line 2" in result.error


def test_question_compare_settings_are_used(tmp_path):
    q = code_question(compare={"unordered": True, "rel_tol": 0.01},
                      tests=[{"args": [[3, 1, 2]], "expected": [1.0, 2.0, 3.0]}])
    loaded = load(write_pack(tmp_path, q))
    assert judge_code(loaded, "def f(x):\n    return [v * 1.005 for v in x]\n", sandbox="none").verdict == "passed"
    assert judge_code(loaded, "def f(x):\n    return [v * 1.05 for v in x]\n", sandbox="none").verdict == "failed"
    assert judge_code(loaded, "def f(x):\n    return [True, 2.0, 3.0]\n", sandbox="none").verdict == "failed"


def test_tests_file_cases_are_judged(tmp_path):
    (tmp_path / "more.json").write_text(json.dumps([{"name": "from-file", "args": [[9]], "expected": [9]}]))
    loaded = load(write_pack(tmp_path, code_question(tests_file="more.json")))
    result = judge_code(loaded, "def f(x):\n    return x\n", sandbox="none")
    assert [c.name for c in result.cases] == ["test-1", "from-file"]
    assert result.verdict == "passed"


def test_answer_output_is_kept_apart_and_shown_escaped(pack):
    result = judge_code(load(pack, "tp/add"), "def add(a, b=0):\n    print('\\x1b[31mdebug', a)\n    return 0\n",
                        sandbox="none")
    msg = result.cases[1].message
    assert msg.startswith("wrong answer | output: ") and "\\x1b[31mdebug 2" in msg


# ---------------------------------------------------------------- the command


def test_check_command_exit_codes_and_json_shape(cli, pack, tmp_path):
    good = answer(tmp_path, "def add(a, b=0):\n    return a + b\n")
    code, out, _ = cli("check", "tp/add", str(good), "--pack", str(pack), "--json", "--sandbox", "none")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"question", "verdict", "passed", "total", "sandbox", "bounds", "cases"}
    assert (data["question"], data["verdict"], data["passed"], data["total"], data["sandbox"]) == (
        "tp/add", "passed", 4, 4, "rlimit")
    assert data["bounds"] in ("cgroup-v1", "cgroup-v2", "rlimit")
    assert set(data["cases"][0]) == {"name", "hidden", "status", "time_ms", "message"}
    assert [c["hidden"] for c in data["cases"]] == [False, True, True, True]
    bad = answer(tmp_path, "def add(a, b=0):\n    return a - b\n", "bad.py")
    code, out, _ = cli("check", "tp/add", str(bad), "--pack", str(pack), "--json", "--sandbox", "none")
    assert code == 1
    assert json.loads(out)["verdict"] == "failed"


def test_hidden_cases_show_no_inputs_unless_revealed(cli, tmp_path):
    q = code_question(examples=[{"args": [[1111]], "expected": [1111]}],
                      tests=[{"name": "secret", "args": [[98765]], "expected": [43210]}])
    pack = write_pack(tmp_path, q)
    bad = answer(tmp_path, "def f(x):\n    return [0]\n")
    code, out, _ = cli("check", "tp/q", str(bad), "--pack", str(pack), "--sandbox", "none")
    assert code == 1
    assert "secret" in out and "wrong_answer" in out and "failed: 0 of 2 cases passed" in out
    assert "1111" in out  # the visible example's input, expected and actual
    assert "98765" not in out and "43210" not in out
    code, out, _ = cli("check", "tp/q", str(bad), "--pack", str(pack), "--sandbox", "none", "--reveal")
    assert "98765" in out and "43210" in out
    code, out, _ = cli("check", "tp/q", str(bad), "--pack", str(pack), "--sandbox", "none", "--examples")
    assert "1111" in out and "secret" not in out and "failed: 0 of 1 cases passed" in out


@pytest.mark.parametrize(("args", "needle"), [
    (["tp/nope", "{answer}"], "no question 'tp/nope'"),
    (["tp/add", "{missing}"], "no such file"),
    (["tp/add", "{folder}"], "is a folder"),
    (["tp/add", "{binary}"], "not UTF-8"),
    (["tp/open", "{answer}"], "is an open question"),
    (["tp/add", "{answer}", "--sandbox", "docker"], "--sandbox must be one of"),
    (["tp/stack", "{answer}", "--examples"], "has no visible examples"),
])
def test_input_errors_exit_2_with_one_line(cli, tmp_path, monkeypatch, args, needle):
    open_q = {"id": "open", "round": "behavioral", "title": "Tell me", "prompt": "Tell me.",
              "model_answer": "An answer.", "rubric": [{"point": p} for p in ("one", "two", "three")]}
    pack = write_pack(tmp_path, ADD, STACK, open_q)
    paths = {"answer": answer(tmp_path, "def add(a, b=0):\n    return a + b\n"),
             "missing": tmp_path / "missing.py", "folder": tmp_path,
             "binary": tmp_path / "bin.py"}
    paths["binary"].write_bytes(b"\xff\xfe\x00def")
    argv = [a.format(**paths) for a in args]
    tracker = Tracker(monkeypatch, tmp_path)
    code, _out, err = cli("check", *argv, "--pack", str(pack))
    assert code == 2
    assert needle in err and "Traceback" not in err
    if tracker.markers:  # a runner started early for a check refused later is stopped
        tracker.assert_clean()


def test_sandbox_bwrap_without_bwrap_is_an_input_error(cli, pack, tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    good = answer(tmp_path, "def add(a, b=0):\n    return a + b\n")
    code, _, err = cli("check", "tp/add", str(good), "--pack", str(pack), "--sandbox", "bwrap")
    assert code == 2 and "bubblewrap is not installed" in err
    code, out, err = cli("check", "tp/add", str(good), "--pack", str(pack), "--json")
    assert code == 0 and json.loads(out)["sandbox"] == "rlimit"
    assert err.count("note:") == 1 and "resource limits only" in err


def test_check_in_a_real_subprocess(pack, tmp_path):
    good = answer(tmp_path, "def add(a, b=0):\n    return a + b\n")
    r = run_drill("check", "tp/add", str(good), "--pack", str(pack), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["passed"] == 4
    bad = answer(tmp_path, "def add(a, b=0):\n    raise RuntimeError('nope')\n", "bad.py")
    r = run_drill("check", "tp/add", str(bad), "--pack", str(pack))
    assert r.returncode == 1
    assert "RuntimeError: nope" in r.stdout and "failed: 0 of 4 cases passed" in r.stdout
    r = run_drill("check", "tp/add", str(tmp_path / "nope.py"), "--pack", str(pack))
    assert r.returncode == 2 and r.stderr.strip().startswith("error:") and "Traceback" not in r.stderr


def test_sql_questions_go_to_the_sql_judge(cli, tmp_path):
    sql_q = {"id": "big", "kind": "sql", "round": "sql", "title": "Big trades", "prompt": "Trades over 10.",
             "schema": "CREATE TABLE trades (id INTEGER, amount REAL);",
             "examples": [{"data": {"trades": [[1, 5.0], [2, 50.0]]}, "expected": [[2]]}],
             "tests": [{"data": {"trades": [[3, 11.0], [4, 9.0]]}, "expected": [[3]]}]}
    pack = write_pack(tmp_path, sql_q)
    good = answer(tmp_path, "SELECT id FROM trades WHERE amount > 10", "good.sql")
    code, out, _ = cli("check", "tp/big", str(good), "--pack", str(pack), "--json")
    assert code == 0 and json.loads(out)["sandbox"] == "sqlite"
    bad = answer(tmp_path, "SELECT id FROM trades WHERE amount < 10", "bad.sql")
    code, out, _ = cli("check", "tp/big", str(bad), "--pack", str(pack), "--examples")
    assert code == 1
    lines = out.splitlines()
    header = next(i for i, ln in enumerate(lines) if "expected" in ln and "actual" in ln)
    assert lines[header + 1].split() == ["2", "1"]  # expected and actual rows, side by side


def test_sql_spec_cache_skips_loading_and_follows_file_changes(cli, tmp_path, monkeypatch):
    import datetime as dt

    from drill.packs.catalog import Catalog

    def question(expected: int, day=None) -> dict:
        test = {"data": {"trades": [[3, 11.0], [4, 9.0]]}, "expected": [[expected]]}
        if day is not None:  # a YAML date: the wire cannot carry it, so it is never cached
            test = {"data": {"trades": [[3, 11.0, day], [4, 9.0, day]]}, "expected": [[expected]]}
        return {"id": "big", "kind": "sql", "round": "sql", "title": "Big", "prompt": "Over 10.",
                "schema": "CREATE TABLE trades (id INTEGER, amount REAL" + (", day TEXT);" if day else ");"),
                "examples": [{"name": "one", "data": {"trades": [[1, 5.0] + ([day] if day else [])]}, "expected": []}],
                "tests": [test]}

    pack = write_pack(tmp_path, question(3))
    good = answer(tmp_path, "SELECT id FROM trades WHERE amount > 10", "good.sql")
    loads = []
    real_load = Catalog.load
    monkeypatch.setattr(Catalog, "load", lambda self, ref: loads.append(ref) or real_load(self, ref))

    def check(*extra: str) -> dict:
        code, out, err = cli("check", "tp/big", str(good), "--pack", str(pack), "--json", *extra)
        assert code in (0, 1), err
        return json.loads(out)

    first, second = check(), check()
    assert first == {**second, "cases": first["cases"]} and first["verdict"] == "passed"
    assert [c["name"] for c in second["cases"]] == ["one", "test-1"] and loads == ["tp/big"]
    assert [c["name"] for c in check("--examples")["cases"]] == ["one"]
    write_pack(tmp_path, question(4))  # a changed expected value is seen at once
    assert check()["verdict"] == "failed" and len(loads) == 2
    write_pack(tmp_path, question(3, dt.date(2026, 3, 1)))
    assert check()["verdict"] == "passed" and check()["verdict"] == "passed" and len(loads) == 4


def test_spec_cache_skips_loading_and_follows_file_changes(cli, tmp_path, monkeypatch):
    from drill.packs.catalog import Catalog

    (tmp_path / "more.json").write_text(json.dumps([{"args": [[5]], "expected": [5]}]))
    pack = write_pack(tmp_path, code_question(tests_file="more.json"))
    ident = answer(tmp_path, "def f(x):\n    return x\n")

    def check_json():
        code, out, err = cli("check", "tp/q", str(ident), "--pack", str(pack), "--json", "--sandbox", "none")
        assert code in (0, 1), err
        return json.loads(out)

    loads = []
    real_load = Catalog.load
    monkeypatch.setattr(Catalog, "load", lambda self, ref: loads.append(ref) or real_load(self, ref))
    assert check_json()["verdict"] == "passed"
    assert check_json()["verdict"] == "passed"
    assert loads == ["tp/q"]  # the second check came from the cache
    # A changed expected value in the pack, then in the tests file, is seen at once.
    write_pack(tmp_path, code_question(tests_file="more.json", tests=[{"args": [[1]], "expected": [2]}]))
    assert check_json()["verdict"] == "failed"
    write_pack(tmp_path, code_question(tests_file="more.json"))
    assert check_json()["verdict"] == "passed"
    (tmp_path / "more.json").write_text(json.dumps([{"args": [[5]], "expected": [6]}]))
    assert check_json()["verdict"] == "failed"
    assert len(loads) == 4


def test_a_cached_spec_sends_each_case_as_stored_and_refuses_a_damaged_entry(tmp_path):
    from drill.judge import speccache
    from drill.judge._runner import from_wire, to_wire
    from drill.judge.spec import Case, Spec

    pack = tmp_path / "p.yaml"
    pack.write_text("x")
    cases = [Case("a", False, {"args": [[1, 2.5, None], (3,)], "kwargs": {"k": {"t": [1]}}}, (1, [2])),
             Case("b", True, {"args": ["x" * 5000], "kwargs": {}}, float("inf"))]
    spec = Spec(uid="p/q", entry="f", is_class=False, cases=cases)
    speccache.save(spec, str(pack), [speccache.stamp(str(pack))])
    loaded = speccache.load("p/q", str(pack))
    assert loaded == spec
    for got, want in zip(loaded.cases, cases, strict=True):
        assert got.wire == to_wire(want.inputs) and from_wire(got.wire) == want.inputs
        assert type(got.expected) is type(want.expected)
    file = speccache.entry_file("p/q", str(pack))
    head, _, body = file.read_bytes().partition(b"\n")
    for damaged in (head + b"\n" + body[:-1], head + b"\n" + body + b" ", head,
                    head.replace(b"\"uid\"", b"\"uix\"") + b"\n" + body, b"[" + head + b"]\n" + body):
        file.write_bytes(damaged)
        assert speccache.load("p/q", str(pack)) is None


@pytest.mark.parametrize("mode", MODES)
def test_a_runner_that_dies_mid_case_is_replaced_for_the_rest(tmp_path, monkeypatch, mode):
    # The answer's import arms a timer that ends the runner process itself during case 1;
    # the next runner (armed again) finishes cases 2 and 3 long before its timer fires.
    source = ("import os, threading, time\n"
              "threading.Timer(1.0, os._exit, [7]).start()\n"
              "def f(x):\n    if x == [1]:\n        time.sleep(3)\n    return x\n")
    cases = [{"args": [[1]], "expected": [1]}, {"args": [[2]], "expected": [2]}, {"args": [[3]], "expected": [3]}]
    pack = write_pack(tmp_path, code_question(tests=cases, limits={"seconds": 5, "memory_mb": 256}))
    tracker = Tracker(monkeypatch, tmp_path)
    result = judge_code(load(pack), source, sandbox=mode)
    assert [c.status for c in result.cases] == ["runtime_error", "passed", "passed"]
    assert "killed the judging process" in result.cases[0].message
    assert len(tracker.markers) == 2
    tracker.assert_clean()


def test_resident_memory_watch_ends_a_case_over_its_limit():
    # The macOS path (RLIMIT_AS is not enforced there), driven here with a stand-in probe.
    import os
    import time

    from drill.judge import _runner

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child only waits to be killed
        os.setpgid(0, 0)
        time.sleep(30)
        os._exit(0)
    os.close(w)
    os.setpgid(pid, pid)
    t0 = time.monotonic()
    payload, status, _cpu, timed_out, over = _runner._wait_case(
        pid, r, t0 + 10, rss=lambda _pid: 600 << 20, memory=512 << 20)
    os.close(r)
    assert over and not timed_out and payload == b""
    assert status is not None and os.WIFSIGNALED(status)
    assert time.monotonic() - t0 < 5


@pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not usable here")
def test_a_forced_stop_kills_the_runner_and_lets_bwrap_reap_it():
    # Killing bwrap first would orphan the runner (its pid namespace's init) to the system's
    # init, where as a zombie it still counts against the sandbox uid's process limit.
    child = sandbox.start("bwrap", "def f(x):\n    return x\n")
    child.close(graceful=False)
    assert child.proc.returncode in (0, 128 + 9)  # bwrap saw its runner end; bwrap was not killed


def test_a_bwrap_that_fails_to_start_falls_back_or_is_an_error(cli, pack, tmp_path, monkeypatch):
    broken = tmp_path / "bwrap"
    broken.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: str(broken))
    good = answer(tmp_path, "def add(a, b=0):\n    return a + b\n")
    code, out, err = cli("check", "tp/add", str(good), "--pack", str(pack), "--json")
    assert code == 0 and json.loads(out)["sandbox"] == "rlimit"
    assert err.count("note:") == 1 and "failed to start (bwrap: No permissions" in err
    code, _, err = cli("check", "tp/add", str(good), "--pack", str(pack), "--sandbox", "bwrap")
    assert code == 2 and "bubblewrap failed to start" in err


def test_windows_is_told_to_use_wsl(monkeypatch):
    monkeypatch.setattr(sandbox.sys, "platform", "win32")
    with pytest.raises(sandbox.SandboxError, match="WSL"):
        sandbox.resolve("auto")
