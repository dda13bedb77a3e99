"""Take-home (`model`) answers judged end to end, in both sandbox modes: the reference
passes, the leaky one and a constant fall short, malformed answers get a clear verdict,
limits hold, the hidden labels never reach the answer, and nothing is left behind.

The pack is tests/fixtures/model-pack (see its data/generate.py).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from drill.judge.takehome import judge_model
from tests.conftest import run_drill
from tests.judgekit import MODES, Tracker
from tests.modelkit import FIXTURE, answer, copy_fixture, task

LIGHT = {"requires": ["numpy", "pandas"]}  # no scikit-learn to import: quicker runs for answers that need none


def judge(t, source: str, mode: str, monkeypatch, tmp_path):
    tracker = Tracker(monkeypatch, tmp_path)
    result, _notes = judge_model(t, source, mode)
    tracker.assert_clean()
    return result


# ------------------------------------------------------------------ drill check, the command


@pytest.mark.parametrize("mode", MODES)
def test_drill_check_on_the_reference_and_the_leaky_answer(mode, tmp_path):
    pytest.importorskip("sklearn")
    ref = run_drill("check", "model-fixture/card-fraud", str(FIXTURE / "answers" / "reference.py"),
                    "--pack", str(FIXTURE), "--json", "--sandbox", mode, timeout=300)
    assert ref.returncode == 0, ref.stderr
    data = json.loads(ref.stdout)
    # The existing keys, then the take-home's.
    assert {"question", "verdict", "passed", "total", "sandbox", "cases"} <= set(data)
    assert data["verdict"] == "passed" and data["cases"][0]["status"] == "passed"
    assert data["metric"]["name"] == "recall_at_budget" and data["metric"]["budget_per_day"] == 8
    assert data["metric"]["value"] == pytest.approx(0.5085, abs=5e-4)
    assert (data["baseline"], data["target"], data["margin"]) == (0.1864, 0.5085, 0.05)
    assert data["pass_at"] == pytest.approx(0.4585) and data["score"] == pytest.approx(1.0, abs=1e-3)
    assert data["rows"] == 2000 and data["positives"] == 59
    tables = {b["name"]: b for b in data["breakdown"]}
    assert [s["segment"] for s in tables["recall by channel"]["segments"]] == ["app", "pos", "web"]
    assert sum(s["rows"] for s in tables["recall by channel"]["segments"]) == 2000
    assert tables["precision at budget by week"]["metric"] == "precision_at_budget"
    assert [s["segment"] for s in tables["precision at budget by week"]["segments"]] == ["2025-W09", "2025-W10", "2025-W11"]
    # Recorded, with the scheduling score where the metric falls between baseline and target.
    hist = json.loads(run_drill("history", "--json").stdout)
    assert hist[0]["uid"] == "model-fixture/card-fraud" and hist[0]["verdict"] == "passed"
    exported = json.loads(run_drill("export", "--format", "json").stdout)
    kept = exported["attempts"][0]["cases"][0]["model"]
    assert kept["metric"] == "recall_at_budget" and kept["value"] == pytest.approx(0.5085, abs=5e-4)

    leaky = run_drill("check", "model-fixture/card-fraud", str(FIXTURE / "answers" / "leaky.py"),
                      "--pack", str(FIXTURE), "--sandbox", mode, "--no-record", timeout=300)
    assert leaky.returncode == 1, leaky.stderr
    assert "answer    0.0508" in leaky.stdout and "baseline  0.1864" in leaky.stdout
    assert "recall by channel" in leaky.stdout and "failed: recall_at_budget 0.0508 is short of 0.4585" in leaky.stdout
    assert "Traceback" not in leaky.stdout + leaky.stderr


def test_a_constant_answer_scores_at_the_bottom_and_is_recorded_so(tmp_path):
    pack = copy_fixture(tmp_path, card_fraud=LIGHT)
    r = run_drill("check", "model-fixture/card-fraud", str(FIXTURE / "answers" / "constant.py"),
                  "--pack", str(pack), "--json", "--sandbox", "none", timeout=300)
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    assert data["metric"]["value"] == pytest.approx(0.0339, abs=5e-4) and data["metric"]["value"] <= data["baseline"]
    assert data["score"] == 0.0 and data["cases"][0]["status"] == "wrong_answer"
    hist = json.loads(run_drill("history", "--json").stdout)
    assert hist[0]["verdict"] == "failed" and hist[0]["score"] == 0.0


def test_what_drill_check_refuses(tmp_path):
    ans = tmp_path / "a.py"
    ans.write_text(answer("constant"), encoding="utf-8")
    r = run_drill("check", "model-fixture/card-fraud", str(ans), "--pack", str(FIXTURE), "--examples")
    assert r.returncode == 2 and "has no visible examples" in r.stderr
    sql = tmp_path / "a.sql"
    sql.write_text("SELECT 1", encoding="utf-8")
    r = run_drill("check", "model-fixture/card-fraud", str(sql), "--pack", str(FIXTURE))
    assert r.returncode == 2 and "whose answer is a .py file" in r.stderr
    r = run_drill("check", "model-fixture/card-fraud-writeup", str(ans), "--pack", str(FIXTURE))
    assert r.returncode == 2 and "open question" in r.stderr
    # A dataset broken after validation: exit 2, nothing judged or recorded.
    pack = copy_fixture(tmp_path)
    (pack.parent / "data" / "test.csv.gz").write_bytes(gzip.compress(b"payment_id,is_fraud\np1,maybe\n"))
    r = run_drill("check", "model-fixture/card-fraud", str(ans), "--pack", str(pack))
    assert r.returncode == 2 and "cannot be judged" in r.stderr and "Traceback" not in r.stderr
    assert json.loads(run_drill("history", "--json").stdout) == []


# ------------------------------------------------------------------ malformed answers


MALFORMED = {
    "wrong-length": ("def fit(train):\n    return None\n\ndef predict(model, test):\n    return [0.5] * (len(test) - 1)\n",
                     "wrong_answer", "predict returned 1,999 scores for 2,000 rows of test"),
    "nan": ("import numpy as np\n\ndef fit(train):\n    return None\n\ndef predict(model, test):\n"
            "    s = np.zeros(len(test))\n    s[3] = np.nan\n    return s\n",
            "wrong_answer", "1 score(s) are NaN or infinite (the first at row 3)"),
    "not-numbers": ("def fit(train):\n    return None\n\ndef predict(model, test):\n    return test['channel']\n",
                    "wrong_answer", "score 0 is a str; it must return one finite number per row of test"),
    "no-fit": ("def predict(model, test):\n    return [0.0] * len(test)\n",
               "runtime_error", "the answer defines no function named 'fit'"),
    "predict-not-a-function": ("def fit(train):\n    return None\n\npredict = 3\n",
                               "runtime_error", "'predict' in the answer is not a function"),
    "raises-in-fit": ("def fit(train):\n    cols = list(train)\n    return train['no_such_column']\n\n"
                      "def predict(model, test):\n    return [0.0] * len(test)\n",
                      "runtime_error", "KeyError: 'no_such_column' (line 3, in fit)"),
    "raises-in-predict": ("def fit(train):\n    return None\n\ndef predict(model, test):\n    return 1 / 0\n",
                          "runtime_error", "ZeroDivisionError: division by zero (line 5, in predict)"),
    "syntax": ("def fit(train)\n    return None\n", "syntax_error", "SyntaxError"),
}


@pytest.mark.parametrize("mode", MODES)
def test_malformed_answers_get_a_clear_verdict(mode, tmp_path, monkeypatch):
    t = task(copy_fixture(tmp_path, card_fraud=LIGHT))
    for name, (source, status, message) in MALFORMED.items():
        result = judge(t, source, mode, monkeypatch, tmp_path)
        case = result.cases[0]
        assert (case.status, message in case.message) == (status, True), (name, case.status, case.message)
        assert result.verdict == "failed" and result.score == 0.0 and result.model.value is None, name
        assert "Traceback" not in case.message, name


@pytest.mark.parametrize("mode", MODES)
def test_fit_over_the_time_limit_is_a_time_limit(mode, tmp_path, monkeypatch):
    t = task(copy_fixture(tmp_path, card_fraud={**LIGHT, "limits": {"seconds": 1.5, "memory_mb": 512}}))
    source = "def fit(train):\n    while True:\n        pass\n\ndef predict(model, test):\n    return [0.0] * len(test)\n"
    result = judge(t, source, mode, monkeypatch, tmp_path)
    case = result.cases[0]
    assert case.status == "time_limit", case.message
    assert case.message == "fit and predict did not finish within 1.5 s (their limit together)"
    assert 1500 <= case.time_ms < 10_000


@pytest.mark.parametrize("mode", MODES)
def test_fit_over_the_memory_limit_is_a_memory_limit(mode, tmp_path, monkeypatch):
    t = task(copy_fixture(tmp_path, card_fraud={**LIGHT, "limits": {"seconds": 20, "memory_mb": 256}}))
    source = "def fit(train):\n    return bytearray(1 << 30)\n\ndef predict(model, test):\n    return [0.0] * len(test)\n"
    case = judge(t, source, mode, monkeypatch, tmp_path).cases[0]
    assert case.status == "memory_limit", case.message
    assert "in fit" in case.message or "ran out of memory" in case.message


def test_the_data_comes_as_read_csv_reads_it_and_the_limit_excludes_it(tmp_path, monkeypatch):
    # 128 MB for the answer: the libraries and the data come on top of it.
    t = task(copy_fixture(tmp_path, card_fraud={**LIGHT, "limits": {"seconds": 20, "memory_mb": 128}}))
    source = textwrap.dedent("""\
        import pandas as pd

        def fit(train):
            assert type(train) is pd.DataFrame and train.shape == (4000, 10), train.shape
            assert str(train["amount"].dtype) == "float64" and str(train["account_age_days"].dtype) == "int64"
            assert "is_fraud" in train.columns
            return float(train["is_fraud"].mean())

        def predict(model, test):
            assert type(test) is pd.DataFrame and test.shape == (2000, 9), test.shape
            assert "is_fraud" not in test.columns and list(test.columns)[:2] == ["payment_id", "created_at"]
            return -test["account_age_days"].astype(float)
        """)
    result = judge(t, source, "none", monkeypatch, tmp_path)
    assert result.cases[0].status in ("passed", "wrong_answer"), result.cases[0].message
    assert result.model.value == pytest.approx(0.1864, abs=5e-4)  # the baseline rule, exactly


# ------------------------------------------------------------------ the hidden labels stay hidden


# The answer hunts for the hidden file's labelled rows ("qq0007z,1,..."): the features it
# is given read "qq0007z,2025-...", so the pattern matches only rows that still carry a
# label. It searches its memory (heap and anonymous maps, read through /proc/self/mem), its
# environment and command line, its open files, its scratch folders, and under bubblewrap
# every file it can see. Before trusting a search it proves the search works, on a
# labelled row it makes itself (id 9999). It raises on a find, and returns scores otherwise.
HUNTER = textwrap.dedent(r'''
    import gzip
    import os
    import re

    NEEDLE = re.compile(rb"qq(\d{4})z,([01]),")
    SKIP = ("/proc", "/sys", "/dev", "/usr/share")


    def in_memory():
        ids = set()
        with open("/proc/self/maps") as f:
            maps = f.read().splitlines()
        with open("/proc/self/mem", "rb", 0) as mem:
            for line in maps:
                parts = line.split()
                path = parts[5] if len(parts) > 5 else ""
                if "r" not in parts[1] or path in ("[vvar]", "[vsyscall]", "[vdso]", "[vvar_vclock]"):
                    continue
                if path.startswith("/") and not path.endswith("(deleted)"):
                    continue  # file-backed code and read-only data: the libraries
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                at = lo
                while at < hi:
                    size = min(16 << 20, hi - at)
                    try:
                        mem.seek(at)
                        chunk = mem.read(size + 16 if at + size < hi else size)
                    except (OSError, ValueError, OverflowError):
                        break
                    ids.update(m.group(1) for m in NEEDLE.finditer(chunk))
                    at += size
        return ids


    def in_file(path):
        try:
            with open(path, "rb") as f:
                data = f.read(64 << 20)
        except OSError:
            return set()
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except Exception:
                pass
        return {m.group(1) for m in NEEDLE.finditer(data)}


    def in_files(roots):
        """Every file under `roots` that could hold data; under "/", the system's own
        folders and the Python packages are read only for files named like data."""
        import sys

        system = ("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/opt", "/etc",
                  sys.prefix, sys.base_prefix, *[p for p in sys.path if p.startswith("/")])
        data_like = (".csv", ".gz", ".tsv", ".txt", ".json", ".parquet", ".pkl", ".npy", ".bin")
        found = {}
        for root in roots:
            for folder, dirs, files in os.walk(root):
                dirs[:] = [d for d in dirs if os.path.join(folder, d) not in SKIP]
                for name in files:
                    path = os.path.join(folder, name)
                    if os.path.islink(path) or not os.path.isfile(path):
                        continue
                    if path.startswith(system) and not name.endswith(data_like):
                        continue
                    ids = in_file(path)
                    if ids:
                        found[path] = ids
        return found


    def hunt(test):
        leaks = []
        if "is_fraud" in test.columns or "y" in test.columns:
            leaks.append("the test frame has the label column")
        probe = b"qq" + str(9000 + 999).encode() + b"z,1,"  # a labelled row of our own
        ids = in_memory()
        assert b"9999" in ids, "the memory search does not work"
        del probe
        if ids - {b"9999"}:
            leaks.append(f"memory: {sorted(ids - {b'9999'})[:3]}")
        for where, text in (("environment", "\n".join(f"{k}={v}" for k, v in os.environ.items())),
                            ("command line", open("/proc/self/cmdline", "rb").read().decode(errors="replace"))):
            if NEEDLE.search(text.encode()) or "test.csv" in text:
                leaks.append(where)
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if "test.csv" in target or (target.startswith("/") and os.path.isfile(target) and in_file(target)):
                leaks.append(f"open file {target}")
        scratch = [os.getcwd(), os.environ.get("TMPDIR", "/tmp"), os.environ.get("HOME", "/tmp"), "/dev/shm"]
        roots = ["/"] if os.path.exists("/judge/runner.py") else scratch  # bubblewrap: all it can see
        probe_file = os.path.join(os.getcwd(), "probe.csv")
        with open(probe_file, "wb") as f:
            f.write(b"qq" + b"9999" + b"z,1,x\n")
        found = in_files(roots)
        assert any(b"9999" in ids for ids in found.values()), f"the file search does not work: {found}"
        os.remove(probe_file)
        leaks += [f"file {p}" for p, ids in found.items() if ids - {b"9999"}]
        if leaks:
            raise RuntimeError("LEAK: " + "; ".join(leaks))


    def fit(train):
        return None


    def predict(model, test):
        hunt(test)
        return [0.0] * len(test)
''')


def labelled_pack(folder: Path) -> Path:
    """A take-home whose hidden rows are `qq0000z,<label>,<time>` and training rows `pp...`."""
    import random

    rng = random.Random(3)
    for name, prefix, n in (("train", "pp", 300), ("test", "qq", 200)):
        lines = ["row_id,y,ts,x"] + [f"{prefix}{i:04d}z,{int(rng.random() < 0.3)},2025-03-0{1 + i % 2}T10:00:00,"
                                     f"{rng.random():.3f}" for i in range(n)]
        (folder / f"{name}.csv.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    pack = folder / "leak.yaml"
    pack.write_text(textwrap.dedent("""\
        pack: leak
        title: Leak test
        format: 1
        questions:
          - id: q
            kind: model
            round: take-home
            title: Find the labels
            prompt: Try.
            dataset: {train: train.csv.gz, test: test.csv.gz, label: y, id: row_id, time: ts}
            metric: {name: pr_auc}
            baseline: 0.2
            target: 0.9
            limits: {seconds: 60, memory_mb: 1024}
        """), encoding="utf-8")
    return pack


@pytest.mark.parametrize("mode", MODES)
def test_the_hidden_labels_never_reach_the_answer(mode, tmp_path, monkeypatch):
    from drill.packs.catalog import load_catalog
    from drill.packs.takehome import task_for

    pack = labelled_pack(tmp_path)
    t = task_for(load_catalog([pack]).load("leak/q"))
    result = judge(t, HUNTER, mode, monkeypatch, tmp_path)
    case = result.cases[0]
    assert "LEAK" not in case.message and "does not work" not in case.message, case.message
    assert case.status == "wrong_answer" and result.model.value is not None, case.message


def test_the_hunter_finds_labels_where_they_are():
    # The same search, run where a labelled row sits in memory: it must find it, or the
    # test above proves nothing.
    code = HUNTER + textwrap.dedent("""
        import sys
        held = bytes(b"qq0042z,1,2025-03-01") * 3
        found = in_memory()
        sys.exit(0 if b"0042" in found else 3)
        """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()[-500:]


# ------------------------------------------------------------------ reproducible data


def test_the_fixture_generator_rebuilds_the_same_rows(tmp_path):
    r = subprocess.run([sys.executable, str(FIXTURE / "data" / "generate.py"), str(tmp_path)],
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr
    for name in ("train.csv.gz", "test.csv.gz"):
        assert gzip.decompress((tmp_path / name).read_bytes()) == gzip.decompress((FIXTURE / "data" / name).read_bytes())
    assert os.path.getsize(FIXTURE / "data" / "train.csv.gz") < 1 << 20
