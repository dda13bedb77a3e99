"""`drill check` keeps full checks in the history; --examples runs and --no-record do not."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from drill.progress.store import open_store
from tests.sessionkit import PACK


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    pack = tmp_path / "t.yaml"
    pack.write_text(textwrap.dedent(PACK), encoding="utf-8")
    good = tmp_path / "good.py"
    good.write_text("def add(a, b):\n    return a + b\n")
    bad = tmp_path / "bad.py"
    bad.write_text("def add(a, b):\n    return abs(a) + b\n")
    return pack, good, bad


def rows() -> list[dict]:
    with open_store() as store:
        return [dict(r) for r in store.read("SELECT uid, verdict, score, answer, budget_seconds FROM attempts ORDER BY id")]


def test_full_checks_are_recorded_and_reported(cli, files):
    pack, good, bad = files
    code, _, err = cli("check", "t/add", str(bad), "--pack", str(pack), "--sandbox", "none")
    assert code == 1
    code, _, err = cli("check", "t/add", str(good), "--pack", str(pack), "--sandbox", "none")
    assert code == 0 and "Recorded; this question comes back" in err
    got = rows()
    assert [(r["verdict"], r["score"]) for r in got] == [("failed", pytest.approx(2 / 3)), ("passed", 1.0)]
    assert got[1]["answer"] == good.read_text() and got[1]["budget_seconds"] is None
    with open_store() as store:
        ratings = [r["rating"] for r in store.read("SELECT rating FROM review_logs ORDER BY id")]
    assert ratings == [2, 3]  # Hard, then Good: an untimed pass is not Easy

    code, out, _ = cli("history", "--json")
    assert [h["uid"] for h in json.loads(out)] == ["t/add", "t/add"]
    code, out, _ = cli("report", "--json", "--pack", str(pack))
    assert json.loads(out)["attempts"] == 2


def test_examples_and_no_record_leave_no_trace(cli, files, drill_home):
    pack, good, _ = files
    assert cli("check", "t/add", str(good), "--pack", str(pack), "--examples", "--sandbox", "none")[0] == 0
    assert cli("check", "t/add", str(good), "--pack", str(pack), "--no-record", "--sandbox", "none")[0] == 0
    assert not (drill_home / "drill.db").exists() or rows() == []


def test_an_answer_of_the_wrong_kind_is_refused_and_not_recorded(cli, files, tmp_path):
    pack, good, _ = files
    assert cli("check", "t/add", str(good), "--pack", str(pack), "--sandbox", "none")[0] == 0
    sql_answer = tmp_path / "a.sql"
    sql_answer.write_text("SELECT 1")
    yaml_file = tmp_path / "a.yaml"
    yaml_file.write_text("x: 1\n")
    for wrong in (sql_answer, yaml_file):
        code, out, err = cli("check", "t/add", str(wrong), "--pack", str(pack), "--sandbox", "none")
        assert code == 2 and out == ""
        assert "'t/add' is a code question, whose answer is a .py file" in err and "nothing was" in err
    code, _, err = cli("check", "sql/daily-net-flow", str(good))
    assert code == 2 and "is a sql question, whose answer is a .sql file, not good.py" in err
    # The earlier pass stands: nothing was recorded over it.
    assert [(r["uid"], r["verdict"]) for r in rows()] == [("t/add", "passed")]


def test_a_syntax_error_is_reported_once(cli, files, tmp_path):
    pack, _, _ = files
    broken = tmp_path / "broken.py"
    broken.write_text("def add(a, b)\n    return a + b\n")
    code, out, _ = cli("check", "t/add", str(broken), "--pack", str(pack), "--sandbox", "none", "--no-record")
    assert code == 1
    assert out.count("SyntaxError") == 1, out
    assert "syntax_error: the answer failed as a whole, so none of its 3 cases ran" in out
    assert "failed: 0 of 3 cases passed" in out
    code, out, _ = cli("check", "t/add", str(broken), "--pack", str(pack), "--sandbox", "none", "--json")
    data = json.loads(out)
    assert [c["status"] for c in data["cases"]] == ["syntax_error"] * 3  # --json keeps one entry per case
    sql = tmp_path / "a.sql"
    sql.write_text("SELEC day FROM deposits")
    code, out, _ = cli("check", "sql/daily-net-flow", str(sql), "--no-record")
    assert code == 1 and out.count('near "SELEC"') == 1, out
