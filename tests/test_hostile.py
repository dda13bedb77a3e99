"""Hostile answers: each gets the right verdict, within bounds, and leaves the host as it was.

Every test runs on the rlimit path ("none") and, where bubblewrap works, inside bwrap.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import pytest

from drill.judge.code import judge_code
from tests.judgekit import MODES, Tracker, code_question, load, processes_with, write_pack

pytestmark = pytest.mark.parametrize("mode", MODES)

SECONDS = 0.5


@pytest.fixture
def outside():
    """A folder outside /tmp (which rlimit mode as root covers with the answer's own
    tmpfs), where the user's other files live."""
    import shutil
    import tempfile

    base = "/var/tmp" if os.path.isdir("/var/tmp") and os.access("/var/tmp", os.W_OK) else str(Path.home())
    folder = Path(tempfile.mkdtemp(prefix="drill-test-", dir=base))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def judge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, source: str, **fields):
    """Judge `source` on a one-case identity question; return (result, elapsed seconds)."""
    fields.setdefault("limits", {"seconds": SECONDS, "memory_mb": 256})
    pack = write_pack(tmp_path, code_question(**fields))
    tracker = Tracker(monkeypatch, tmp_path)
    t0 = time.monotonic()
    result = judge_code(load(pack), source, sandbox=mode)
    elapsed = time.monotonic() - t0
    tracker.assert_clean()
    result.namespaced = all(tracker.namespaced)  # type: ignore[attr-defined]
    assert result.sandbox == ("bwrap" if mode == "bwrap" else "rlimit")
    return result, elapsed


def statuses(result) -> list[str]:
    return [c.status for c in result.cases]


def test_syntax_error(tmp_path, monkeypatch, mode):
    result, _ = judge(tmp_path, monkeypatch, mode, "def f(x)\n    return x\n",
                      tests=[{"args": [1], "expected": 1}, {"args": [2], "expected": 2}])
    assert statuses(result) == ["syntax_error", "syntax_error"]
    assert "line 1" in result.cases[0].message and "SyntaxError" in result.cases[0].message


def test_import_time_infinite_loop_fails_every_case_quickly(tmp_path, monkeypatch, mode):
    result, elapsed = judge(tmp_path, monkeypatch, mode, "while True:\n    pass\ndef f(x):\n    return x\n",
                            tests=[{"args": [i], "expected": i} for i in range(5)])
    assert statuses(result) == ["time_limit"] * 5
    assert "loading" in result.cases[0].message
    assert elapsed < SECONDS + 3  # once, not once per case


def test_import_time_crash_fails_every_case(tmp_path, monkeypatch, mode):
    result, _ = judge(tmp_path, monkeypatch, mode, "raise RuntimeError('boom at import')\n",
                      tests=[{"args": [1], "expected": 1}, {"args": [2], "expected": 2}])
    assert statuses(result) == ["runtime_error", "runtime_error"]
    assert "boom at import" in result.cases[1].message


def test_busy_loop(tmp_path, monkeypatch, mode):
    result, elapsed = judge(tmp_path, monkeypatch, mode, "def f(x):\n    while True:\n        pass\n")
    assert statuses(result) == ["time_limit"]
    assert elapsed < SECONDS + 3


def test_sleeping_forever(tmp_path, monkeypatch, mode):
    result, elapsed = judge(tmp_path, monkeypatch, mode, "import time\ndef f(x):\n    time.sleep(3600)\n")
    assert statuses(result) == ["time_limit"]
    assert elapsed < SECONDS + 3


def test_ignoring_sigxcpu_does_not_help(tmp_path, monkeypatch, mode):
    source = "import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\ndef f(x):\n    while True:\n        pass\n"
    result, elapsed = judge(tmp_path, monkeypatch, mode, source)
    assert statuses(result) == ["time_limit"]
    assert elapsed < SECONDS + 3


def test_allocating_10_gb(tmp_path, monkeypatch, mode):
    result, _ = judge(tmp_path, monkeypatch, mode, "def f(x):\n    b = bytearray(10 << 30)\n    return x\n")
    assert statuses(result) == ["memory_limit"]
    assert "MemoryError" in result.cases[0].message


def test_printing_10_gb(tmp_path, monkeypatch, mode):
    source = "import sys\ndef f(x):\n    for _ in range(10240):\n        sys.stdout.write('x' * (1 << 20))\n    return x\n"
    result, elapsed = judge(tmp_path, monkeypatch, mode, source)
    assert statuses(result) == ["output_limit"]
    assert elapsed < SECONDS + 3


def test_writing_a_10_gb_file(tmp_path, monkeypatch, mode):
    source = ("def f(x):\n    with open('big.bin', 'wb') as fh:\n"
              "        for _ in range(10240):\n            fh.write(bytes(1 << 20))\n    return x\n")
    result, _ = judge(tmp_path, monkeypatch, mode, source)
    assert statuses(result) == ["output_limit"]
    assert not list(tmp_path.rglob("big.bin"))


def test_sys_exit_zero(tmp_path, monkeypatch, mode):
    result, _ = judge(tmp_path, monkeypatch, mode, "import sys\ndef f(x):\n    sys.exit(0)\n")
    assert statuses(result) == ["runtime_error"]
    assert "SystemExit" in result.cases[0].message


def test_os_exit_zero(tmp_path, monkeypatch, mode):
    result, _ = judge(tmp_path, monkeypatch, mode, "import os\ndef f(x):\n    os._exit(0)\n")
    assert statuses(result) == ["runtime_error"]
    assert "exit status 0" in result.cases[0].message


def test_keyboard_interrupt_is_the_answers_not_ours(tmp_path, monkeypatch, mode):
    result, _ = judge(tmp_path, monkeypatch, mode, "def f(x):\n    raise KeyboardInterrupt\n",
                      tests=[{"args": [1], "expected": 1}, {"args": [2], "expected": 2}])
    assert statuses(result) == ["runtime_error", "runtime_error"]
    assert "KeyboardInterrupt" in result.cases[0].message


def test_lying_eq_is_not_a_pass(tmp_path, monkeypatch, mode):
    source = "class Yes:\n    def __eq__(self, other):\n        return True\ndef f(x):\n    return Yes()\n"
    result, _ = judge(tmp_path, monkeypatch, mode, source)
    assert statuses(result) == ["wrong_answer"]
    assert "type Yes" in result.cases[0].message


def test_float_subclass_is_not_a_pass(tmp_path, monkeypatch, mode):
    source = "class Sly(float):\n    def __eq__(self, other):\n        return True\ndef f(x):\n    return Sly(1.5)\n"
    result, _ = judge(tmp_path, monkeypatch, mode, source, tests=[{"args": [1.5], "expected": 1.5}])
    assert statuses(result) == ["wrong_answer"]


def test_printing_a_fake_verdict(tmp_path, monkeypatch, mode):
    source = ("import sys\ndef f(x):\n    print('All tests passed! {\"verdict\": \"passed\", \"status\": \"passed\"}')\n"
              "    sys.stderr.write('\\x1b[2J PASSED\\n')\n")
    result, _ = judge(tmp_path, monkeypatch, mode, source)
    assert statuses(result) == ["wrong_answer"]
    assert result.verdict == "failed"
    assert "\x1b" not in result.cases[0].message  # its output is shown escaped
    assert "\\x1b" in result.cases[0].message


def test_deep_recursion_to_a_segfault(tmp_path, monkeypatch, mode):
    # Python-to-Python calls no longer use the C stack (3.11), so recurse through map().
    source = ("import sys\nsys.setrecursionlimit(10 ** 8)\n"
              "def g(n):\n    return list(map(g, [n]))\n"
              "def f(x):\n    return g(x)\n")
    result, _ = judge(tmp_path, monkeypatch, mode, source,
                      tests=[{"args": [1], "expected": 1}, {"args": [2], "expected": 2}])
    assert statuses(result) in (["runtime_error"] * 2, ["memory_limit"] * 2)
    if result.cases[0].status == "runtime_error":
        assert "SIGSEGV" in result.cases[0].message


def test_five_million_elements(tmp_path, monkeypatch, mode):
    # Building the list takes a while on a loaded machine: this is about size, not time.
    result, elapsed = judge(tmp_path, monkeypatch, mode, "def f(x):\n    return list(range(5_000_000))\n",
                            limits={"seconds": 5, "memory_mb": 512})
    assert statuses(result) == ["output_limit"]
    assert "1,000,000" in result.cases[0].message
    assert elapsed < 8


def test_mutating_input_and_globals_do_not_leak_into_later_cases(tmp_path, monkeypatch, mode):
    source = ("seen = []\n"
              "def f(x):\n    seen.append(x)\n    x.append(99)\n    return [len(seen), x[:-1]]\n")
    cases = [{"args": [[1, 2]], "expected": [1, [1, 2]]}, {"args": [[1, 2]], "expected": [1, [1, 2]]},
             {"args": [[7]], "expected": [1, [7]]}]
    result, _ = judge(tmp_path, monkeypatch, mode, source, tests=cases)
    assert statuses(result) == ["passed"] * 3


def test_each_case_reports_only_its_own_output(tmp_path, monkeypatch, mode):
    source = "def f(x):\n    print('out', x)\n    return x if x[0] in (1, 4) else 0\n"
    cases = [{"args": [[n]], "expected": [n]} for n in (1, 2, 3, 4)]
    result, _ = judge(tmp_path, monkeypatch, mode, source, tests=cases)
    assert statuses(result) == ["passed", "wrong_answer", "wrong_answer", "passed"]
    for case, n in zip(result.cases[1:3], (2, 3), strict=True):
        assert case.message.endswith(f"output: out [{n}]"), case.message


def test_an_at_fork_hook_that_exits_fails_each_case_not_the_judge(tmp_path, monkeypatch, mode):
    source = "import os\nos.register_at_fork(after_in_child=lambda: os._exit(3))\ndef f(x):\n    return x\n"
    cases = [{"args": [[1]], "expected": [1]}, {"args": [[2]], "expected": [2]}]
    result, _ = judge(tmp_path, monkeypatch, mode, source, tests=cases)
    assert statuses(result) == ["runtime_error", "runtime_error"]
    assert all("exit status 3" in c.message for c in result.cases), [c.message for c in result.cases]


def test_fork_bomb_is_bounded(tmp_path, monkeypatch, mode):
    if mode == "none" and os.getuid() == 0 and not cgroup_here():
        pytest.skip("as root RLIMIT_NPROC is ignored: only a cgroup or bwrap's unprivileged uid bounds a fork bomb")
    source = ("import os\ndef f(x):\n    while True:\n        try:\n            os.fork()\n"
              "        except OSError:\n            pass\n")
    result, elapsed = judge(tmp_path, monkeypatch, mode, source)
    assert statuses(result) in (["time_limit"], ["runtime_error"])
    assert elapsed < SECONDS + 5


def test_setsid_grandchild_does_not_survive(tmp_path, monkeypatch, mode):
    token = f"drill-hostile-{os.getpid()}-{time.monotonic_ns()}"
    source = (f"import os\ndef f(x):\n    if os.fork() == 0:\n        os.setsid()\n"
              f"        if os.fork() == 0:\n            os.execv('/bin/sleep', ['{token}', '300'])\n"
              f"        os._exit(0)\n    import time\n    time.sleep(0.2)\n    return x\n")
    result, _ = judge(tmp_path, monkeypatch, mode, source)
    assert statuses(result) == ["passed"]
    assert processes_with(token) == []


def test_killing_the_judging_process(tmp_path, monkeypatch, mode):
    source = "import os, signal\ndef f(x):\n    os.kill(os.getppid(), signal.SIGKILL)\n    return x\n"
    cases = [{"args": [[1]], "expected": [1]}, {"args": [[2]], "expected": [2]}]
    result, _ = judge(tmp_path, monkeypatch, mode, source, tests=cases)
    # Where the runner is its pid namespace's init (bwrap; unshare as root), the kernel
    # ignores the signal and the answer goes on to return; elsewhere the runner dies, each
    # case is an error and a fresh runner takes the next one.
    if result.namespaced:
        assert statuses(result) == ["passed", "passed"]
    else:
        assert statuses(result) == ["runtime_error", "runtime_error"]
        assert "killed the judging process" in result.cases[0].message


def test_deleting_a_file_in_home(tmp_path, monkeypatch, mode, outside):
    home = outside / "home"
    home.mkdir()
    precious = home / "precious.txt"
    precious.write_text("keep me")
    monkeypatch.setenv("HOME", str(home))
    source = (f"import os\ndef f(x):\n    os.remove({str(precious)!r})\n    return x\n")
    result, _ = judge(tmp_path, monkeypatch, mode, source)
    if mode == "bwrap":
        assert precious.read_text() == "keep me"
        assert statuses(result) == ["runtime_error"]
        assert "FileNotFoundError" in result.cases[0].message
    else:
        # Resource limits do not protect files (docs/judge-sandbox.md): this pins that down.
        assert statuses(result) == ["passed"]
        assert not precious.exists()


def test_tcp_connection_to_a_local_listener(tmp_path, monkeypatch, mode):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        source = ("import socket\ndef f(x):\n    try:\n"
                  f"        socket.create_connection(('127.0.0.1', {port}), timeout=0.3).close()\n"
                  "        return 'connected'\n    except OSError:\n        return 'no network'\n")
        result, _ = judge(tmp_path, monkeypatch, mode, source, tests=[{"args": [0], "expected": "no network"}])
        try:
            listener.accept()[0].close()
            connected = True
        except BlockingIOError:
            connected = False
    if mode == "bwrap":
        assert statuses(result) == ["passed"]
        assert not connected
    else:
        assert statuses(result) == ["wrong_answer"]  # no network isolation without bwrap
        assert connected


def test_reading_the_pack_for_expected_values(monkeypatch, mode, outside):
    pack = outside / "tp.yaml"
    # Reading the pack is how an answer would learn expected values; here it only proves access.
    source = f"def f(x):\n    open({str(pack)!r}).read()\n    return [42]\n"
    result, _ = judge(outside, monkeypatch, mode, source, tests=[{"args": [0], "expected": [42]}])
    if mode == "bwrap":
        assert statuses(result) == ["runtime_error"]  # the pack is not in the sandbox
        assert "FileNotFoundError" in result.cases[0].message
    else:
        assert statuses(result) == ["passed"]  # rlimit mode cannot hide files (docs/judge-sandbox.md)


def test_a_bound_site_packages_does_not_expose_the_builtin_packs(tmp_path, monkeypatch, mode):
    if mode != "bwrap":
        pytest.skip("only bwrap hides files")
    from drill.judge import code as judge_module
    from drill.paths import PACKAGE_DIR, builtin_questions_dir

    # Stand in for a wheel install: the folder "site-packages" holding drill and its packs.
    root = str(builtin_questions_dir().resolve().parent)
    if os.stat(root).st_mode & 0o005 != 0o005:
        # A checkout in a private folder (mktemp -d makes them 0700): bound as it is, the
        # sandbox's uid could not read it at all, which proves nothing about the packs.
        pytest.skip(f"the checkout's folder is not readable by other users (mode {os.stat(root).st_mode & 0o777:o})")
    monkeypatch.setattr(judge_module, "site_paths", lambda: [root])
    pack_file = next(builtin_questions_dir().glob("*.yaml"))
    source = ("import os\ndef f(x):\n"
              f"    seen = os.path.exists({os.path.join(root, 'pyproject.toml')!r})\n"
              f"    hidden = not os.path.exists({str(pack_file)!r})\n"
              f"    package = os.listdir({str(PACKAGE_DIR)!r})\n"
              "    return [seen, hidden, package]\n")
    result, _ = judge(tmp_path, monkeypatch, mode, source, requires=["json"],
                      tests=[{"args": [0], "expected": [True, True, []]}])
    assert statuses(result) == ["passed"], result.cases[0].message


def test_a_bound_folder_holding_drill_hides_its_package_packs_and_solutions(tmp_path, monkeypatch, mode):
    """As above on a stand-in "site-packages" readable by everyone, so it runs wherever the
    checkout lives (the test above skips a private one)."""
    if mode != "bwrap":
        pytest.skip("only bwrap hides files")
    import shutil
    import tempfile

    import drill.paths
    from drill.judge import code as judge_module

    loaded = load(write_pack(tmp_path, code_question(requires=["json"], tests=[{"args": [0], "expected": []}])))
    stand = Path(tempfile.mkdtemp(prefix="drill-standin-"))
    try:
        os.chmod(stand, 0o755)
        for folder, name, text in (("drill", "__init__.py", ""), ("questions", "pack.yaml", "expected: 42\n"),
                                   ("solutions", "answer.py", "ANSWER = 42\n")):
            (stand / folder).mkdir(mode=0o755)
            (stand / folder / name).write_text(text, encoding="utf-8")
        (stand / "pyproject.toml").write_text("", encoding="utf-8")
        monkeypatch.setattr(drill.paths, "package_dir", lambda: str(stand / "drill"))
        monkeypatch.setattr(drill.paths, "builtin_questions_path", lambda: str(stand / "questions"))
        monkeypatch.setattr(judge_module, "site_paths", lambda: [str(stand)])
        source = ("import os\ndef f(x):\n"
                  f"    return [os.path.exists({str(stand / 'pyproject.toml')!r}),\n"
                  f"            os.listdir({str(stand / 'drill')!r}), os.listdir({str(stand / 'questions')!r}),\n"
                  f"            os.listdir({str(stand / 'solutions')!r})]\n")
        loaded.question.tests[0].expected = [True, [], [], []]
        result = judge_code(loaded, source, sandbox=mode)
    finally:
        shutil.rmtree(stand, ignore_errors=True)
    assert statuses(result) == ["passed"], result.cases[0].message


# ---------------------------------------------------------------- a runner taken over (issue 12, item 1)
# The answer's top-level code runs inside the runner, before the runner forks per case, so
# it can rewrite the runner: these answers do, to make slow cases look fast.

SLOW_CLOCK = (
    "import sys, time\n"
    "_real = time.monotonic\n"
    "_start = _real()\n"
    "# The runner's clocks now run ten times slow: its own deadline never comes.\n"
    "time.monotonic = lambda: _start + (_real() - _start) / 10\n"
    "time.perf_counter = time.monotonic\n"
)
PATCHED_RUNNER = (
    "import sys\n"
    "runner = sys.modules['__main__']\n"
    "_real_wait = runner._wait_case\n"
    "def _wait(pid, r, deadline, *rest):\n"
    "    payload, status, cpu, timed_out, memory = _real_wait(pid, r, deadline + 3600, *rest)\n"
    "    return payload, status, 0.0, False, memory\n"
    "runner._wait_case = _wait\n"
    "_real_one = runner._one_case\n"
    "def _one(*args):\n"
    "    head, payload = _real_one(*args)\n"
    "    head['wall'] = 0.001\n"
    "    return head, payload\n"
    "runner._one_case = _one\n"
)


@pytest.mark.parametrize("takeover", [SLOW_CLOCK, PATCHED_RUNNER], ids=["slow-clock", "patched-runner"])
def test_a_taken_over_runner_cannot_forge_a_pass_in_time(tmp_path, monkeypatch, mode, takeover):
    # As the attack run found it: 2.9 s a case under a 2 s limit was `passed`; here scaled
    # down to 1.45 s a case under 1 s.
    source = takeover + "def f(x):\n    import time\n    time.sleep(1.45)\n    return x\n"
    cases = [{"args": [[n]], "expected": [n]} for n in range(3)]
    result, elapsed = judge(tmp_path, monkeypatch, mode, source, tests=cases,
                            limits={"seconds": 1, "memory_mb": 256})
    assert statuses(result) == ["time_limit"] * 3, [c.message for c in result.cases]
    assert all(c.time_ms >= 1000 for c in result.cases)
    assert elapsed < 3 * 1.45 + 3  # each case cut at about its limit, not waited out


def test_an_honest_time_is_measured_by_the_judge(tmp_path, monkeypatch, mode):
    # A runner that reports every case as instant does not change the time drill shows.
    source = PATCHED_RUNNER + "def f(x):\n    import time\n    time.sleep(0.3)\n    return x\n"
    result, _ = judge(tmp_path, monkeypatch, mode, source, limits={"seconds": 1, "memory_mb": 256})
    assert statuses(result) == ["passed"]
    assert 300 <= result.cases[0].time_ms < 1000


def test_the_runner_never_holds_the_next_cases_inputs(tmp_path, monkeypatch, mode):
    # With inputs queued ahead, a taken-over runner could start later cases early (in
    # parallel) and report them "fast": it gets each case's inputs only after reporting
    # the one before.
    source = ("import sys, select\n"
              "runner = sys.modules['__main__']\n"
              "ahead = []\n"
              "_real_one = runner._one_case\n"
              "def _one(case, entry, cfg, in_fd, *rest):\n"
              "    ahead.append(bool(select.select([in_fd], [], [], 0.2)[0]))\n"
              "    return _real_one(case, entry, cfg, in_fd, *rest)\n"
              "runner._one_case = _one\n"
              "def f(x):\n    return [x[0], any(ahead)]\n")
    cases = [{"args": [[n]], "expected": [n, False]} for n in range(4)]
    result, _ = judge(tmp_path, monkeypatch, mode, source, tests=cases, limits={"seconds": 2, "memory_mb": 256})
    assert statuses(result) == ["passed"] * 4, [c.message for c in result.cases]


FORGED_REPORT = (
    "import sys, json\n"
    "runner = sys.modules['__main__']\n"
    "_real_send = runner.send\n"
    "def _send(fd, *frames):\n"
    "    if len(frames) == 2:  # a case's report: a forged head, and a payload with a forged time\n"
    "        head = {'pid': 10 ** 400, 'wall': 1e308, 'status': 10 ** 30, 'cpu': -1.0,\n"
    "                'out_size': 10 ** 400, 'timeout': False, 'memory': False, 'out_tail': 7}\n"
    "        payload, _, value = frames[1].partition(b'\\n')  # the value travels after a newline\n"
    "        payload = json.loads(payload)\n"
    "        payload['time'] = float('inf')\n"
    "        frames = (json.dumps(head).encode(), json.dumps(payload).encode() + b'\\n' + value)\n"
    "    return _real_send(fd, *frames)\n"
    "runner.send = _send\n"
    "def f(x):\n    return x\n"
)


def test_forged_report_fields_are_bounded(tmp_path, monkeypatch, mode):
    result, _ = judge(tmp_path, monkeypatch, mode, FORGED_REPORT)
    assert statuses(result) == ["passed"]  # the value is the answer's own, and right
    assert 0 <= result.cases[0].time_ms < 1000
    json.dumps(result.to_json(), allow_nan=False)


def test_forged_report_fields_never_reach_json_output(tmp_path, mode):
    from tests.conftest import run_drill

    pack = write_pack(tmp_path, code_question())
    answer = tmp_path / "forged.py"
    answer.write_text(FORGED_REPORT, encoding="utf-8")
    r = run_drill("check", "tp/q", str(answer), "--pack", str(pack), "--sandbox", mode, "--json")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    data = strict_json(r.stdout)
    assert data["verdict"] == "passed" and data["cases"][0]["time_ms"] < 1000
    r = run_drill("export", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert strict_json(r.stdout)["attempts"][0]["cases"][0]["time_ms"] < 1000


def strict_json(text: str):
    def refuse(name: str):
        raise AssertionError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


# ---------------------------------------------------------------- clean cases (issue 12, item 3)


def test_files_one_case_writes_are_gone_in_the_next(tmp_path, monkeypatch, mode):
    token = f"drill-clean-{os.getpid()}-{time.monotonic_ns()}"
    private_tmp = mode == "bwrap" or os.getuid() == 0  # else /tmp is the host's (docs/judge-sandbox.md)
    places = ["here.txt", "deep", "locked"]
    places += [f"/tmp/{token}", f"/dev/shm/{token}"] if private_tmp else []
    source = ("import os, tempfile\n"
              f"PLACES = {places!r}\n"
              "def f(x):\n"
              "    before = [os.path.lexists(p) for p in PLACES]\n"
              "    before.append(os.listdir(tempfile.gettempdir()) != [] and 'mine' in os.listdir(tempfile.gettempdir()))\n"
              "    for p in PLACES:\n"
              "        if p == 'deep':\n"
              "            os.makedirs('deep/' + '/'.join(['d'] * 200))\n"
              "        elif p == 'locked':\n"
              "            os.makedirs('locked/inner')\n"
              "            open('locked/inner/f', 'w').close()\n"
              "            os.chmod('locked/inner', 0o500)\n"
              "            os.chmod('locked', 0o500)\n"
              "        else:\n"
              "            try:\n"
              "                open(p, 'w').close()\n"
              "            except OSError:\n"
              "                pass  # e.g. bwrap's /dev/shm is not writable at all\n"
              "    open(os.path.join(tempfile.gettempdir(), 'mine'), 'w').close()\n"
              "    return before\n")
    cases = [{"args": [n], "expected": [False] * (len(places) + 1)} for n in range(3)]
    result, _ = judge(tmp_path, monkeypatch, mode, source, tests=cases)
    assert statuses(result) == ["passed"] * 3, [(c.message, c.actual) for c in result.cases]
    if private_tmp:
        assert not os.path.lexists(f"/tmp/{token}") and not os.path.lexists(f"/dev/shm/{token}")


def test_files_written_while_loading_are_no_cases(tmp_path, monkeypatch, mode):
    source = ("import os\nopen('from-import.txt', 'w').close()\n"
              "def f(x):\n    return os.path.exists('from-import.txt')\n")
    result, _ = judge(tmp_path, monkeypatch, mode, source,
                      tests=[{"args": [0], "expected": False}, {"args": [1], "expected": False}])
    assert statuses(result) == ["passed", "passed"]


def test_cleaning_does_not_follow_a_link_out_of_the_working_folder(tmp_path, monkeypatch, mode, outside):
    # A case that leaves a link to a folder of the user's: emptying the working folder
    # removes the link, never what it points to.
    victim = outside / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep")
    if mode == "bwrap":
        victim = Path("/usr")  # inside bwrap the user's folders are not there: aim at the system's
    source = (f"import os\ndef f(x):\n    os.symlink({str(victim)!r}, 'link')\n"
              f"    os.symlink({str(victim)!r}, os.path.join(os.environ.get('TMPDIR', '.'), 'link2'))\n"
              "    return x\n")
    result, _ = judge(tmp_path, monkeypatch, mode, source,
                      tests=[{"args": [[1]], "expected": [1]}, {"args": [[2]], "expected": [2]}])
    assert statuses(result) == ["passed", "passed"], [c.message for c in result.cases]
    assert (outside / "victim" / "keep.txt").read_text() == "keep"


# ---------------------------------------------------------------- the whole answer's memory (issue 12, item 2)


def cgroup_here() -> bool:
    from drill.judge import cgroup

    group = cgroup.create()
    if group is None:
        return False
    group.remove()
    return True


@pytest.fixture
def peaks(monkeypatch):
    """The peak memory of every cgroup a judge removes, as the kernel counted it."""
    from drill.judge import cgroup

    seen: list[tuple[int | None, int]] = []
    real = cgroup.Group.set_memory
    limits: dict[int, int] = {}

    def set_memory(self, limit):
        limits[id(self)] = limit
        return real(self, limit)

    real_remove = cgroup.Group.remove

    def remove(self):
        if id(self) in limits:
            seen.append((self.peak(), limits[id(self)]))
        return real_remove(self)

    monkeypatch.setattr(cgroup.Group, "set_memory", set_memory)
    monkeypatch.setattr(cgroup.Group, "remove", remove)
    return seen


def slab_kb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("Slab:"):
            return int(line.split()[1])
    return 0


@pytest.mark.skipif(not cgroup_here(), reason="no cgroup can be made here: per-process limits only")
def test_twelve_processes_of_400_mb_are_one_answer(tmp_path, monkeypatch, mode, peaks):
    # Each child stays under the 512 MB per-process limit; together they would hold 4.8 GB.
    source = ("import os, time\n"
              "def f(x):\n"
              "    kids = []\n"
              "    for _ in range(12):\n"
              "        pid = os.fork()\n"
              "        if pid == 0:\n"
              "            block = bytearray(400 << 20)\n"
              "            time.sleep(1)\n"
              "            os._exit(0)\n"
              "        kids.append(pid)\n"
              "    for pid in kids:\n"
              "        os.waitpid(pid, 0)\n"
              "    return x\n")
    result, _ = judge(tmp_path, monkeypatch, mode, source, limits={"seconds": 10, "memory_mb": 512})
    assert statuses(result) == ["memory_limit"], result.cases[0].message
    assert result.bounds in ("cgroup-v1", "cgroup-v2")
    assert peaks and all(peak is None or peak <= limit for peak, limit in peaks), peaks
    assert all(limit <= (512 + 128) << 20 for _, limit in peaks)


def test_five_million_empty_files_do_not_grow_the_kernel(tmp_path, monkeypatch, mode, peaks):
    # tmpfs `size=` counts bytes, not files: each empty file costs the kernel about 1 KB.
    if mode == "bwrap" and not cgroup_here():
        pytest.skip("bwrap's /tmp has no inode cap: only a cgroup bounds its kernel memory here")
    if mode == "none" and os.getuid() != 0:
        pytest.skip("without root, rlimit mode's /tmp is the host's (docs/judge-sandbox.md)")
    source = ("def f(x):\n"
              "    n = 0\n"
              "    try:\n"
              "        for i in range(5_000_000):\n"
              "            open(f'/tmp/f{i}', 'w').close()\n"
              "            n += 1\n"
              "    except OSError:\n"
              "        pass\n"
              "    return n\n")
    before = slab_kb()
    result, _ = judge(tmp_path, monkeypatch, mode, source, limits={"seconds": 20, "memory_mb": 64},
                      tests=[{"args": [0], "expected": 5_000_000}])
    grown_mb = (slab_kb() - before) / 1024
    # Creating files failed (ENOSPC: the inode cap) or the case died within its memory.
    assert statuses(result) in (["wrong_answer"], ["memory_limit"]), result.cases[0].message
    assert grown_mb < 1024, f"the kernel's slab grew by {grown_mb:.0f} MB"
    assert all(peak is None or peak <= limit for peak, limit in peaks), peaks
    # Written to the sandbox's own /tmp (bwrap, or the runner's private tmpfs as root), never
    # the host's: a silent fallback once left 650,000 files there, and every later check's
    # sweep of the temporary folder paid for them.
    assert not os.path.exists("/tmp/f0") and not os.path.exists("/tmp/f1000")


# ---------------------------------------------------------------- checks at the same time (issue 12, item 4)

FORK_BOMB = ("import os\ndef f(x):\n    while True:\n        try:\n            os.fork()\n"
             "        except OSError:\n            pass\n")
FORKS_A_LITTLE = ("import os, time\ndef f(x):\n    time.sleep(0.5)\n    for _ in range(10):\n"
                  "        pid = os.fork()\n        if pid == 0:\n            os._exit(0)\n"
                  "        os.waitpid(pid, 0)\n    return x\n")


def _check_in_background(tmp_path: Path, name: str, source: str, mode: str, seconds: float, *extra: str):
    import subprocess

    from tests.conftest import DRILL

    folder = tmp_path / name
    folder.mkdir()
    pack = write_pack(folder, code_question(limits={"seconds": seconds, "memory_mb": 256},
                                            examples=[{"args": [n], "expected": n} for n in range(2)],
                                            tests=[{"args": [9], "expected": 9}]))
    answer = folder / "answer.py"
    answer.write_text(source, encoding="utf-8")
    return subprocess.Popen([*DRILL, "check", "tp/q", str(answer), "--pack", str(pack), "--no-record",
                             "--sandbox", "auto" if mode == "bwrap" else "none", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_fork_bomb_does_not_weaken_checks_running_beside_it(tmp_path, mode):
    from drill.judge import cgroup

    if mode == "none" and os.getuid() == 0 and cgroup.create() is None:
        pytest.skip("as root without a cgroup nothing bounds a fork bomb's process count")
    bomb = _check_in_background(tmp_path, "bomb", FORK_BOMB, mode, 1.2)  # 3 cases: about 4 s
    time.sleep(1.0)  # the bomb is going
    others = [_check_in_background(tmp_path, f"other{i}", FORKS_A_LITTLE, mode, 3, "--json") for i in range(3)]
    outs = [p.communicate(timeout=60) for p in others]
    bomb.communicate(timeout=60)
    for out, err in outs:
        data = json.loads(out)
        assert "note:" not in err, err  # never quietly judged with less isolation
        assert data["sandbox"] == ("bwrap" if mode == "bwrap" else "rlimit")
        assert [c["status"] for c in data["cases"]] == ["passed"] * 3, data


def test_checks_at_the_same_time_run_as_different_uids(tmp_path, mode):
    if mode != "bwrap" or os.getuid() != 0:
        pytest.skip("the answer's uid is drill's own unless bwrap drops it (as root)")
    import re

    source = "import os, time\ndef f(x):\n    time.sleep(0.7)\n    return os.getuid()\n"
    checks = [_check_in_background(tmp_path, f"c{i}", source, mode, 3) for i in range(4)]
    uids = set()
    for p in checks:
        out, err = p.communicate(timeout=60)
        assert "note:" not in err, err
        found = {int(u) for u in re.findall(r"actual: +(\d+)", out)}
        assert len(found) == 1, out  # one uid for the whole check
        uids |= found
    assert len(uids) == 4 and all(60000 < u <= 60100 for u in uids), uids


# ---------------------------------------------------------------- numpy and pandas answers

NUMPY = {"requires": ["numpy"], "arguments": {"x": {"type": "array", "dtype": "float64"}},
         "returns": {"type": "array", "dtype": "float64"},
         "tests": [{"args": [[1.0, 2.0]], "expected": [1.0, 2.0]}]}


def test_an_ndarray_subclass_that_lies_is_not_a_pass(tmp_path, monkeypatch, mode):
    source = ("import numpy as np\nclass Liar(np.ndarray):\n    def __eq__(self, other):\n        return True\n"
              "    def tolist(self):\n        return [1.0, 2.0]\n    def __array__(self, *a, **k):\n"
              "        return np.array([1.0, 2.0])\n"
              "def f(x):\n    return np.zeros(2).view(Liar)\n")
    result, _ = judge(tmp_path, monkeypatch, mode, source, **NUMPY)
    assert statuses(result) == ["wrong_answer"]
    assert "a value of type Liar" in result.cases[0].message


def test_a_dataframe_subclass_is_not_a_pass(tmp_path, monkeypatch, mode):
    source = ("import pandas as pd\nclass Frame(pd.DataFrame):\n    def equals(self, other):\n        return True\n"
              "def f(x):\n    return Frame({'a': [1]})\n")
    result, _ = judge(tmp_path, monkeypatch, mode, source, requires=["pandas"], returns={"type": "dataframe"},
                      tests=[{"args": [0], "expected": {"columns": ["a"], "data": [[2]]}}])
    assert statuses(result) == ["wrong_answer"]
    assert "a value of type Frame" in result.cases[0].message


def test_an_object_array_of_strange_objects(tmp_path, monkeypatch, mode):
    source = ("import numpy as np\nclass Weird:\n    def __eq__(self, other):\n        return True\n"
              "def f(x):\n    kind = int(x[0])\n    a = np.empty(2, dtype=object)\n"
              "    if kind == 0:\n        a[0] = a; a[1] = a\n"  # a cycle through itself
              "    elif kind == 1:\n        a[0] = 10 ** 5000; a[1] = 2.0\n"
              "    else:\n        a[0] = Weird(); a[1] = 2.0\n"
              "    return a\n")
    tests = [{"args": [[float(k), 2.0]], "expected": [1.0, 2.0]} for k in range(3)]
    result, elapsed = judge(tmp_path, monkeypatch, mode, source, **{**NUMPY, "tests": tests})
    assert statuses(result) == ["wrong_answer"] * 3
    assert "nested" in result.cases[0].message
    assert "an int with more than 3,900 digits" in result.cases[1].message
    assert "a value of type Weird" in result.cases[2].message
    assert elapsed < 10


def test_allocating_10_gb_with_numpy(tmp_path, monkeypatch, mode):
    source = "import numpy as np\ndef f(x):\n    big = np.ones(10 << 30, dtype=np.uint8)\n    return x\n"
    result, _ = judge(tmp_path, monkeypatch, mode, source, **NUMPY)
    assert statuses(result) == ["memory_limit"]
    assert "MemoryError" in result.cases[0].message


def test_seterr_tricks_stay_in_their_case(tmp_path, monkeypatch, mode):
    # At import: floating-point errors raise; one case turns them off again, the next
    # case starts from the import-time state (each case is a fresh fork).
    source = ("import numpy as np\nnp.seterr(all='raise')\n"
              "def f(x):\n    if x[0] == 0:\n        np.seterr(all='ignore')\n        return x / 0.0\n"
              "    return x / 0.0\n")
    tests = [{"args": [[0.0, 1.0]], "expected": [float("nan"), float("inf")]},
             {"args": [[1.0, 2.0]], "expected": [float("inf"), float("inf")]}]
    result, _ = judge(tmp_path, monkeypatch, mode, source, **{**NUMPY, "tests": tests})
    assert statuses(result) == ["passed", "runtime_error"]
    assert "FloatingPointError" in result.cases[1].message


def test_writing_a_memory_mapped_file(tmp_path, monkeypatch, mode):
    source = ("import numpy as np\ndef f(x):\n"
              "    m = np.memmap('big.dat', dtype=np.uint8, mode='w+', shape=(200 << 20,))\n"
              "    m[:] = 1\n    m.flush()\n    return x\n")
    result, elapsed = judge(tmp_path, monkeypatch, mode, source, **NUMPY)
    assert statuses(result) in (["output_limit"], ["runtime_error"])
    if result.cases[0].status == "runtime_error":  # the file grew past the limit through the mapping
        assert "SIGBUS" in result.cases[0].message or "SIGXFSZ" in result.cases[0].message
    assert not list(tmp_path.rglob("big.dat"))
    assert elapsed < SECONDS + 5


def test_returning_a_hundred_million_elements(tmp_path, monkeypatch, mode):
    source = "import numpy as np\ndef f(x):\n    return np.broadcast_to(np.float64(1.0), (100_000_000,))\n"
    result, elapsed = judge(tmp_path, monkeypatch, mode, source, **NUMPY)
    assert statuses(result) == ["output_limit"]
    assert "1,000,000" in result.cases[0].message
    assert elapsed < SECONDS + 3  # refused by its size, not serialised until the clock runs out
