"""`drill plan`, the dashboard's plan line, `drill report`'s date and `drill report --html`,
through the command line (in-process and in a fresh subprocess)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from drill.progress.record import record_attempt
from drill.progress.store import Attempt, open_store
from tests.conftest import run_drill

PACK = """\
pack: t
title: Plan test pack
format: 1
questions:
  - id: two-sum
    round: coding
    kind: numeric
    title: Two sum count
    tags: [arrays]
    prompt: How many pairs?
    answer: 3
    minutes: 20
  - id: window
    round: sql
    kind: numeric
    title: Window
    tags: [windows]
    prompt: How many rows?
    answer: 4
    minutes: 15
  - id: lag
    round: sql
    kind: numeric
    title: Lag
    tags: [windows]
    prompt: Which lag?
    answer: 1
    minutes: 10
  - id: story
    round: behavioral
    title: Conflict
    tags: [conflict]
    prompt: Tell me about a disagreement.
    rubric:
      - point: the situation
      - point: what you did
      - point: the result
    model_answer: Situation, action, result.
    minutes: 15
  - id: psi
    round: mlops
    title: PSI
    tags: [drift]
    prompt: What does PSI 0.3 mean?
    rubric:
      - point: a large shift
      - point: check the pipeline
      - point: consider retraining
    model_answer: A large shift.
    minutes: 20
"""


@pytest.fixture(autouse=True)
def pack_only(drill_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-builtin"
    empty.mkdir()
    monkeypatch.setattr("drill.packs.catalog.builtin_questions_dir", lambda: empty)
    (drill_home / "packs").mkdir(parents=True)
    (drill_home / "packs" / "t.yaml").write_text(PACK, encoding="utf-8")


def in_days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


def practise(uid: str, score: float, days_ago: float, tags: tuple[str, ...] | None = None) -> None:
    from drill.packs.catalog import load_catalog

    s = load_catalog().find(uid)
    at = datetime.now(UTC) - timedelta(days=days_ago)
    a = Attempt.for_question(s, started_at=at - timedelta(minutes=5), ended_at=at, score=score,
                             verdict="graded")
    if tags is not None:
        a.tags = tags
    with open_store() as st:
        record_attempt(st, a)


# ---------------------------------------------------------------- drill plan


def test_plan_without_a_date_shows_readiness_now_and_creates_nothing(cli, drill_home: Path):
    code, out, err = cli("plan")
    assert code == 0, err
    assert "No interview date set" in out and "Readiness (as of now)" in out
    assert "not started" in out
    assert not (drill_home / "drill.db").exists()
    code, out, _ = cli("plan", "--json")
    data = json.loads(out)
    assert data["interview"] is None and data["plan"] is None
    assert [r["round"] for r in data["readiness"]["rounds"]] == ["coding", "sql", "behavioral", "mlops"]


def test_set_show_and_clear_the_interview(cli, drill_home: Path):
    day = in_days(12)
    code, out, err = cli("plan", "--interview", day, "--hours-per-day", "1.5")
    assert code == 0, err
    assert "Interview" in out and "12 days left" in out and "1.5 h a day" in out
    assert "Today" in out and "drill start --round coding --focus new --count 1" in out
    assert "Next days" in out

    code, out, _ = cli("plan", "--json")
    data = json.loads(out)
    assert data["interview"]["date"] == day and data["interview"]["hours_per_day"] == 1.5
    assert data["interview"]["days_left"] == 12 and data["interview"]["past"] is False
    assert len(data["plan"]["days"]) == 12 and data["plan"]["unreached_rounds"] == []
    day0 = data["plan"]["days"][0]
    assert set(day0) >= {"date", "wave", "final_window", "budget_minutes", "planned_minutes", "tasks"}
    assert set(day0["tasks"][0]) >= {"kind", "round", "count", "minutes", "command"}
    assert {t["round"] for d in data["plan"]["days"] for t in d["tasks"] if t["kind"] == "new"} == {
        "coding", "sql", "behavioral", "mlops"}
    assert data["readiness"]["verdict"].startswith("Not ready yet with 12 days left")

    # The dashboard and the report show it from now on.
    code, out, _ = cli()
    assert code == 0 and "Interview" in out and "12 days left" in out
    assert "drill start --round coding --focus new --count 1" in out
    code, out, _ = cli("report")
    assert "Interview" in out and "12 days left" in out
    code, out, _ = cli("report", "--json")
    assert json.loads(out)["interview"]["date"] == day

    # Hours and rounds can change on their own; the date stays.
    code, out, err = cli("plan", "--hours-per-day", "3", "--rounds", "sql,coding", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["interview"]["date"] == day and data["interview"]["hours_per_day"] == 3
    assert data["interview"]["rounds"] == ["sql", "coding"]
    assert [r["round"] for r in data["readiness"]["rounds"]] == ["sql", "coding"]
    assert data["changed"] == "set"

    # A new date keeps the hours and rounds chosen; --rounds all goes back to every round.
    code, out, _ = cli("plan", "--interview", in_days(15), "--json")
    data = json.loads(out)
    assert data["interview"]["hours_per_day"] == 3 and data["interview"]["rounds"] == ["sql", "coding"]
    code, out, _ = cli("plan", "--rounds", "all", "--json")
    assert json.loads(out)["interview"]["rounds"] is None

    code, out, _ = cli("plan", "--clear")
    assert code == 0 and "cleared" in out
    code, out, _ = cli("plan", "--json")
    assert json.loads(out)["interview"] is None
    code, out, _ = cli()
    assert "Interview" not in out


@pytest.mark.parametrize(("args", "message"), [
    (["--interview", "soon"], "wants a date like 2026-12-15"),
    (["--interview", "2020-01-01"], "in the past"),
    (["--interview", "TODAY"], "is today"),
    (["--interview", "FAR"], "more than a year away"),
    (["--interview", "NEXT", "--hours-per-day", "0"], "--hours-per-day must be from"),
    (["--interview", "NEXT", "--hours-per-day", "30"], "--hours-per-day must be from"),
    (["--interview", "NEXT", "--rounds", "astrology"], "no round 'astrology'"),
    (["--clear", "--interview", "NEXT"], "--clear"),
    (["--hours-per-day", "2"], "no interview date is set"),
])
def test_bad_plan_input_is_a_clear_exit_2_and_stores_nothing(cli, drill_home: Path, args, message):
    subs = {"TODAY": in_days(0), "FAR": in_days(400), "NEXT": in_days(9)}
    code, _out, err = cli("plan", *[subs.get(a, a) for a in args])
    assert code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = cli("plan", "--json")
    assert json.loads(out)["interview"] is None


def test_a_past_interview_is_said_and_scheduling_goes_back_to_fsrs(cli, drill_home: Path):
    from drill.progress import interview as iv_mod

    with open_store() as st:
        iv_mod.save(st, iv_mod.Interview(date.today() - timedelta(days=2)))
    code, out, _ = cli("plan")
    assert code == 0 and "has passed" in out and "Today" not in out
    code, out, _ = cli()
    assert "set a new date" in out


def test_a_damaged_stored_plan_is_a_warning_not_a_crash(cli, drill_home: Path):
    with open_store() as st:
        st.set_setting("interview", json.dumps({"date": "2026-\x1b]0;x"}))
    code, out, err = cli("plan")
    assert code == 0 and "unreadable" in err and "No interview date set" in out
    assert "\x1b" not in err and "\x07" not in err  # quoted, not sent raw
    code, out, err = cli()
    assert code == 0 and "Traceback" not in err


# ---------------------------------------------------------------- drill report --html


def test_report_html_writes_one_self_contained_page(cli, tmp_path: Path, drill_home: Path):
    pytest.importorskip("matplotlib")
    practise("t/two-sum", 0.9, 3)
    practise("t/window", 0.4, 1)
    cli("plan", "--interview", in_days(20))
    target = tmp_path / "report.html"
    code, out, err = cli("report", "--html", str(target), "--json")
    assert code == 0, err
    info = json.loads(out)
    assert info["path"] == str(target) and info["charts"] == 6 and info["opened"] is None
    page = target.read_text(encoding="utf-8")
    assert page.count("<svg") == 6 and "<script" not in page.lower()
    assert "interview on " + in_days(20) in page
    assert not [u for u in _fetched_urls(page) if not u.startswith("#")]


def _fetched_urls(page: str) -> list[str]:
    """Every URL the page would load: src=, href= and url(...) (SVG namespaces are not loads)."""
    import re

    return re.findall(r'(?:src|href)="([^"]*)"', page) + re.findall(r"url\(([^)]*)\)", page)


def test_report_html_open_and_bad_targets(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("matplotlib")
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    target = tmp_path / "r.html"
    code, out, err = cli("report", "--html", str(target), "--open")
    assert code == 0, err
    assert opened == [target.resolve().as_uri()] and "Wrote" in out
    code, _, err = cli("report", "--open")
    assert code == 2 and "--open goes with --html" in err
    code, _, err = cli("report", "--html", str(tmp_path / "missing" / "r.html"))
    assert code == 2 and "does not exist" in err
    code, _, err = cli("report", "--html", str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_report_html_without_matplotlib_names_the_install_command(cli, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    target = tmp_path / "r.html"
    code, _, err = cli("report", "--html", str(target))
    assert code == 2 and "matplotlib" in err and "pip install" in err
    assert not target.exists()


def test_hostile_labels_from_the_database_are_escaped(cli, tmp_path: Path):
    pytest.importorskip("matplotlib")
    practise("t/psi", 0.1, 1, tags=("<script>alert(1)</script>", "$\\frac{1}{0}$", "\x1b]52;c;evil\x07"))
    target = tmp_path / "r.html"
    code, _, err = cli("report", "--html", str(target))
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "\x1b" not in page and "\x07" not in page
    assert "&lt;script&gt;" in page and "$\\frac{1}{0}$" in page


# ---------------------------------------------------------------- a fresh install, in a subprocess


def test_plan_and_html_report_in_a_fresh_process(tmp_path: Path, drill_home: Path):
    day = in_days(30)
    r = run_drill("plan", "--interview", day, "--hours-per-day", "2", "--rounds", "sql", "--rounds", "mlops")
    assert r.returncode == 0, r.stderr
    assert "30 days left" in r.stdout and "sql, mlops" in r.stdout
    r = run_drill("plan", "--json")
    data = json.loads(r.stdout)
    assert data["interview"]["date"] == day and len(data["plan"]["days"]) == 30
    r = run_drill()
    assert r.returncode == 0 and "Interview" in r.stdout
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        r = run_drill("report", "--html", str(tmp_path / "r.html"))
        assert r.returncode == 2 and "pip install" in r.stderr
        return
    r = run_drill("report", "--html", str(tmp_path / "r.html"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "r.html").read_text(encoding="utf-8").count("<svg") == 6
