"""Hostile answers: each gets the right verdict, within bounds, and leaves the host as it was.

Every test runs on the rlimit path ("none") and, where bubblewrap works, inside bwrap.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from drill.judge.code import judge_code
from tests.judgekit import MODES, Tracker, code_question, load, processes_with, write_pack

pytestmark = pytest.mark.parametrize("mode", MODES)

SECONDS = 0.5


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
    if mode == "none" and os.getuid() == 0:
        pytest.skip("as root RLIMIT_NPROC is ignored: only bwrap's unprivileged uid bounds a fork bomb")
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


def test_deleting_a_file_in_home(tmp_path, monkeypatch, mode):
    home = tmp_path / "home"
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


def test_reading_the_pack_for_expected_values(tmp_path, monkeypatch, mode):
    pack = tmp_path / "tp.yaml"
    # Reading the pack is how an answer would learn expected values; here it only proves access.
    source = f"def f(x):\n    open({str(pack)!r}).read()\n    return [42]\n"
    result, _ = judge(tmp_path, monkeypatch, mode, source, tests=[{"args": [0], "expected": [42]}])
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
