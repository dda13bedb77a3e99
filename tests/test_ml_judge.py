"""numpy and pandas answers judged end to end, in both sandbox modes: real arrays and
frames go in, results come back as plain data, and the import rule holds.

The questions are tests/fixtures/ml-pack.yaml: a numpy one (row-normalize) and a pandas one
(account-totals).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from drill.judge.code import judge_code
from tests.conftest import ROOT, run_drill
from tests.judgekit import MODES, Tracker, code_question, load, write_pack

FIXTURE = ROOT / "tests" / "fixtures" / "ml-pack.yaml"

NORMALIZE = (FIXTURE.parent / "ml-solutions" / "row-normalize.py").read_text(encoding="utf-8")
# keepdims forgotten: (n,) norms, so the division broadcasts wrongly or not at all.
NORMALIZE_WRONG_SHAPE = """\
import numpy as np


def normalize(x):
    norms = np.linalg.norm(x, axis=1)
    safe = np.where(norms == 0, 1.0, norms)
    return (x.T / safe).T.reshape(-1, 1)
"""
TOTALS = (FIXTURE.parent / "ml-solutions" / "account-totals.py").read_text(encoding="utf-8")
TOTALS_WRONG_COLUMNS = TOTALS.replace('last_ts=("ts", "max")', 'latest=("ts", "max")')


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE.parent / "ml-solutions", tmp_path / "ml-solutions")
    return Path(shutil.copy(FIXTURE, tmp_path / "ml-pack.yaml"))


def judge(pack: Path, uid: str, source: str, mode: str, monkeypatch, tmp_path):
    tracker = Tracker(monkeypatch, tmp_path)
    result = judge_code(load(pack, uid), source, sandbox=mode)
    tracker.assert_clean()
    return result


@pytest.mark.parametrize("mode", MODES)
def test_numpy_answers(pack, monkeypatch, tmp_path, mode):
    good = judge(pack, "ml-fixture/row-normalize", NORMALIZE, mode, monkeypatch, tmp_path)
    assert [c.status for c in good.cases] == ["passed"] * 4, good.to_json()
    bad = judge(pack, "ml-fixture/row-normalize", NORMALIZE_WRONG_SHAPE, mode, monkeypatch, tmp_path)
    assert [c.status for c in bad.cases] == ["wrong_answer"] * 4
    assert bad.cases[0].message == "shape (4, 1), expected (2, 2)"
    assert bad.cases[3].message == "shape (0, 1), expected (0, 3)"


@pytest.mark.parametrize("mode", MODES)
def test_pandas_answers(pack, monkeypatch, tmp_path, mode):
    good = judge(pack, "ml-fixture/account-totals", TOTALS, mode, monkeypatch, tmp_path)
    assert [c.status for c in good.cases] == ["passed"] * 4, good.to_json()
    bad = judge(pack, "ml-fixture/account-totals", TOTALS_WRONG_COLUMNS, mode, monkeypatch, tmp_path)
    assert {c.status for c in bad.cases} == {"wrong_answer"}
    assert bad.cases[0].message == "columns ['account_id', 'total', 'latest'], expected ['account_id', 'total', 'last_ts']"


@pytest.mark.parametrize("mode", MODES)
def test_an_import_outside_the_question_fails_with_what_is_allowed(pack, monkeypatch, tmp_path, mode):
    source = "import numpy as np\nimport pandas as pd\n\n\ndef normalize(x):\n    return x\n"
    result = judge(pack, "ml-fixture/row-normalize", source, mode, monkeypatch, tmp_path)
    assert {c.status for c in result.cases} == {"runtime_error"}
    assert result.cases[0].message == ("while loading: ModuleNotFoundError: this question allows the standard "
                                       "library and numpy; 'pandas' is not allowed (line 2)")


@pytest.mark.parametrize("mode", MODES)
def test_the_import_rule_in_every_form(tmp_path, monkeypatch, mode):
    # A pandas question that does not allow numpy, although pandas has loaded it already.
    q = code_question(requires=["pandas"], tests=[{"args": [1], "expected": 1}] * 1)
    pack = write_pack(tmp_path, q)
    cases = {
        "import numpy\ndef f(x):\n    return x\n": "'numpy' is not allowed",
        "def f(x):\n    import dateutil\n    return x\n": "'dateutil' is not allowed",
        "import importlib\ndef f(x):\n    importlib.import_module('yaml')\n    return x\n": "'yaml' is not allowed",
        "def f(x):\n    __import__('sklearn')\n    return x\n": "'sklearn' is not allowed",
        "def f(x):\n    exec('import pydantic')\n    return x\n": "'pydantic' is not allowed",
    }
    for source, needle in cases.items():
        result = judge_code(load(pack), source, sandbox=mode)
        assert result.cases[0].status == "runtime_error", source
        assert "this question allows the standard library and pandas; " + needle in result.cases[0].message
    # What is allowed: the standard library, the package and its submodules; an answer that
    # catches the refusal can fall back.
    fine = ("import json, collections.abc\nimport pandas.api.types as ptypes\nfrom pandas import DataFrame\n"
            "try:\n    import numpy\nexcept ImportError:\n    numpy = None\n"
            "def f(x):\n    assert numpy is None and ptypes.is_integer(x)\n    return DataFrame({'a': [x]})['a'].iloc[0].item()\n")
    result = judge_code(load(pack), fine, sandbox=mode)
    assert result.cases[0].status == "passed", result.cases[0].message


@pytest.mark.parametrize("mode", MODES)
def test_a_standard_library_question_says_so(tmp_path, monkeypatch, mode):
    pack = write_pack(tmp_path, code_question())
    result = judge_code(load(pack), "import numpy as np\ndef f(xs):\n    return xs\n", sandbox=mode)
    assert result.cases[0].message == ("while loading: ModuleNotFoundError: this question allows the standard "
                                       "library only; 'numpy' is not allowed (line 1)")


@pytest.mark.parametrize("mode", MODES)
def test_a_tests_file_case_that_cannot_be_built_is_an_internal_error(tmp_path, monkeypatch, mode):
    (tmp_path / "cases.json").write_text(json.dumps([{"args": [[1, None]], "expected": 1}, {"args": [[1, 2]], "expected": 3}]))
    q = code_question(requires=["numpy"], arguments={"xs": {"type": "array", "dtype": "int64"}},
                      tests=[], tests_file="cases.json")
    pack = write_pack(tmp_path, q)
    result = judge_code(load(pack), "def f(xs):\n    return int(xs.sum())\n", sandbox=mode)
    assert [c.status for c in result.cases] == ["internal_error", "passed"]
    assert "cannot be built: argument 'xs': null in an int64 array" in result.cases[0].message


@pytest.mark.parametrize("mode", MODES)
def test_class_questions_get_built_constructor_arguments(tmp_path, monkeypatch, mode):
    q = code_question(**{"class": "Scaler"}, requires=["numpy"],
                      arguments={"data": {"type": "array", "dtype": "float64"}},
                      tests=[{"calls": [["__init__", [[[1.0, 2.0], [3.0, 6.0]]]], ["mean", []], ["scale", [[4.0, 8.0]]]],
                              "expected": [None, [2.0, 4.0], [2.0, 2.0]]}])
    pack = write_pack(tmp_path, q)
    source = ("import numpy as np\nclass Scaler:\n    def __init__(self, data):\n        assert data.dtype == np.float64\n"
              "        self.mu = data.mean(axis=0)\n    def mean(self):\n        return self.mu\n"
              "    def scale(self, row):\n        return np.asarray(row) / self.mu\n")
    result = judge_code(load(pack), source, sandbox=mode)
    assert result.cases[0].status == "passed", result.cases[0].message


def test_the_memory_limit_is_for_the_answer_not_the_libraries(tmp_path, monkeypatch):
    # pandas alone takes well over 100 MB of address space; a 64 MB question still runs.
    q = code_question(requires=["pandas"], limits={"seconds": 2, "memory_mb": 64},
                      tests=[{"args": [3], "expected": 3}])
    pack = write_pack(tmp_path, q)
    ok = judge_code(load(pack), "import pandas as pd\ndef f(x):\n    return int(pd.Series([x]).sum())\n",
                    sandbox="none")
    assert ok.cases[0].status == "passed", ok.cases[0].message
    big = judge_code(load(pack), "def f(x):\n    b = bytearray(200 << 20)\n    return x\n", sandbox="none")
    assert big.cases[0].status == "memory_limit"


def test_drill_check_in_a_real_subprocess(pack, tmp_path):
    answer = tmp_path / "totals.py"
    answer.write_text(TOTALS, encoding="utf-8")
    r = run_drill("check", "ml-fixture/account-totals", str(answer), "--pack", str(pack), "--json", "--no-record")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["passed"] == 4
    answer.write_text(NORMALIZE_WRONG_SHAPE, encoding="utf-8")
    r = run_drill("check", "ml-fixture/row-normalize", str(answer), "--pack", str(pack), "--examples", "--no-record")
    assert r.returncode == 1
    assert "shape (4, 1), expected (2, 2)" in r.stdout
    assert "actual:   array (4, 1) float64: [[0.6], [0.8], [0.0], [1.0]]" in r.stdout


def test_the_spec_cache_carries_the_new_fields(cli, pack, tmp_path):
    from drill.judge import speccache
    from drill.packs.catalog import load_catalog

    answer = tmp_path / "a.py"
    answer.write_text(TOTALS, encoding="utf-8")
    for _ in range(2):  # the second check reads the cached spec
        code, _out, err = cli("check", "ml-fixture/account-totals", str(answer), "--pack", str(pack), "--json",
                              "--no-record")
        assert code == 0, err
    summary = load_catalog([pack]).find("ml-fixture/account-totals")
    cached = speccache.load(summary.uid, summary.path)
    assert cached is not None
    assert cached.arguments["events"]["columns"] == {"account_id": "int64", "ts": "datetime64[ns]", "amount": "float64"}
    assert list(cached.arguments["events"]["columns"]) == ["account_id", "ts", "amount"]
    assert cached.returns == {"type": "dataframe", "dtype": None}
    assert cached.ignore_index is True and cached.strict_types is False and cached.requires == ["pandas", "numpy"]


# ---------------------------------------------------------------- unavailable requirements


@pytest.fixture
def needs_missing(tmp_path: Path) -> Path:
    return write_pack(tmp_path, code_question(id="torchy", requires=["sklearn_missing_for_test", "numpy"]))


def test_a_question_whose_requirement_is_missing_names_the_install_command(cli, needs_missing, tmp_path):
    import sys

    answer = tmp_path / "a.py"
    answer.write_text("def f(x):\n    return x\n", encoding="utf-8")
    command = f"{sys.executable} -m pip install sklearn_missing_for_test"
    code, out, err = cli("check", "tp/torchy", str(answer), "--pack", str(needs_missing))
    assert code == 2
    assert "'tp/torchy' needs sklearn_missing_for_test, which this Python cannot import" in err
    assert command in err
    code, out, err = cli("list", "--pack", str(needs_missing), "--round", "coding")
    row_line = next(line for line in out.splitlines() if line.startswith("tp/torchy"))
    assert "(unavailable: needs sklearn_missing" in row_line and command in out
    code, out, err = cli("list", "--pack", str(needs_missing), "--json")
    row = next(r for r in json.loads(out) if r["uid"] == "tp/torchy")
    assert row["requires"] == ["sklearn_missing_for_test", "numpy"] and row["available"] is False
    code, out, err = cli("show", "tp/torchy", "--pack", str(needs_missing))
    assert code == 0 and command in err


def test_a_session_refuses_unavailable_questions_with_the_command(needs_missing):
    import sys

    from drill.errors import InputError
    from drill.packs.catalog import load_catalog
    from drill.session.flow import StartOptions, plan

    cat = load_catalog([needs_missing])
    with pytest.raises(InputError) as e:
        plan(StartOptions(questions=["tp/torchy"]), cat, None)
    assert f"{sys.executable} -m pip install sklearn_missing_for_test" in (e.value.detail or "")
    with pytest.raises(InputError) as e:
        plan(StartOptions(rounds=["coding"], tag=None, difficulty=None, packs=[needs_missing]),
             _only(cat, "tp/torchy"), None)
    assert "need packages this Python cannot import" in e.value.message


def _only(cat, uid: str):
    cat.questions = [s for s in cat.questions if s.uid == uid]
    return cat


def test_the_early_runner_imports_the_required_packages_while_drill_starts(pack, tmp_path, monkeypatch):
    from drill.commands import check
    from drill.judge import prelaunch
    from drill.packs.catalog import cached_requires, load_catalog

    load_catalog([pack])  # as a first `drill list` or check would: the catalogue cache knows the question
    assert cached_requires("ml-fixture/row-normalize") == ("numpy",)
    assert cached_requires("account-totals") == ("pandas", "numpy")
    assert cached_requires("no-such-question") is None
    answer = tmp_path / "n.py"
    answer.write_text(NORMALIZE, encoding="utf-8")
    monkeypatch.setattr(prelaunch, "_early", None)
    prelaunch.start_early(["check", "ml-fixture/row-normalize", str(answer), "--pack", str(pack)], cached_requires)
    early = prelaunch._early[3]
    taken = []
    real_take = prelaunch.take
    monkeypatch.setattr(prelaunch, "take", lambda *a, **k: taken.append(real_take(*a, **k)) or taken[-1])
    result = check.check("ml-fixture/row-normalize", answer, extra=[pack])
    assert taken == [early] and result.verdict == "passed", result.to_json()


@pytest.mark.slow
def test_the_audit_mutates_and_judges_numpy_and_pandas_references(pack, tmp_path):
    from drill.packs.audit import audit

    result = audit([str(pack)], mutants=True, jobs=2)
    assert result.ok, result.to_json()
    by_uid = {q.uid: q for p in result.packs for q in p.questions}
    for uid in ("ml-fixture/row-normalize", "ml-fixture/account-totals"):
        q = by_uid[uid]
        assert q.reference == "passed" and q.kill_rate == 1.0, q.to_json()
    # The numpy/pandas operators were among them; the fixture's tests kill each.
    from drill.packs.mutate import mutants

    ops = {m.op for name in ("row-normalize", "account-totals")
           for m in mutants((pack.parent / "ml-solutions" / f"{name}.py").read_text(encoding="utf-8"))}
    assert {"axis-swap", "axis-none", "sum-mean", "max-min", "ascending-add"} <= ops
    # Without the hidden case that needs them, those mutants survive: the audit tells.
    text = pack.read_text(encoding="utf-8")
    start = text.index("      - name: three-rows")
    weak = text[:start] + text[text.index("      - name: empty"):]
    pack.write_text(weak, encoding="utf-8")
    weak_result = audit([str(pack)], mutants=True, jobs=2)
    survivors = {s.id.split("@")[0] for p in weak_result.packs for q in p.questions for s in q.survivors}
    assert {"axis-swap", "axis-none"} <= survivors and not weak_result.ok


def test_the_requires_index_beside_the_catalogue_cache(pack, drill_home):
    """drill check reads what a question requires from a small index, before the catalogue."""
    from drill.packs import requires_index
    from drill.packs.catalog import cached_requires, load_catalog

    assert requires_index.lookup("ml-fixture/row-normalize") is None  # no index yet
    load_catalog([pack])
    for ref in ("ml-fixture/row-normalize", "account-totals", "no-such-question"):
        assert requires_index.lookup(ref) == (cached_requires(ref) or ())
    assert requires_index.lookup("ml-fixture/account-totals") == ("pandas", "numpy")
    (drill_home / "cache" / requires_index.NAME).unlink()  # as an older drill left the cache
    load_catalog([pack])
    assert requires_index.lookup("ml-fixture/account-totals") == ("pandas", "numpy")


# A package that says, when imported, whether it was imported by the early preimport (the
# runner's config then holds only "preimport") or later, with the question's config.
PROBE_PACKAGE = '''import sys

VIA_PREIMPORT = None
_f = sys._getframe()
while _f is not None:
    if "cfg" in _f.f_locals and isinstance(_f.f_locals["cfg"], dict):
        VIA_PREIMPORT = "preimport" in _f.f_locals["cfg"]
        break
    _f = _f.f_back
'''


@pytest.mark.parametrize("mode", MODES)
def test_the_early_runner_finds_the_packages_before_its_config(tmp_path, monkeypatch, mode):
    """The runner has the question's package folders on its path from its first line, so
    the preimport sent before drill parses its command line really imports them (it used
    to find nothing when drill ran from a venv, whose site-packages the bare interpreter
    does not know, and the import fell back to the question's config, on the check's path)."""
    from drill.commands import check
    from drill.judge import code as judge_module
    from drill.judge import prelaunch
    from drill.packs.catalog import cached_requires, load_catalog

    site = tmp_path / "site"
    (site / "drillprobepkg").mkdir(parents=True)
    (site / "drillprobepkg" / "__init__.py").write_text(PROBE_PACKAGE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))  # drill's own environment has it: the question is available
    monkeypatch.setattr(judge_module, "site_paths", lambda: [str(site)])
    pack = write_pack(tmp_path, code_question(requires=["drillprobepkg"], tests=[{"args": [1], "expected": True}]))
    load_catalog([pack])
    answer = tmp_path / "a.py"
    answer.write_text("import drillprobepkg\n\ndef f(x):\n    return drillprobepkg.VIA_PREIMPORT\n", encoding="utf-8")
    monkeypatch.setattr(prelaunch, "_early", None)
    prelaunch.start_early(["check", "tp/q", str(answer), "--pack", str(pack), "--sandbox", mode], cached_requires)
    assert prelaunch._early is not None
    result = check.check("tp/q", answer, extra=[pack], sandbox=mode)
    assert result.verdict == "passed", result.to_json()
