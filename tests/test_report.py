"""`drill report`, the dashboard, `drill history`, `drill export` and `drill reset`."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from drill.commands import dashboard, report
from drill.commands.export import load_json
from drill.progress.record import record_attempt
from drill.progress.store import Attempt, open_store

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)

PACK = """\
pack: t
title: Report test pack
format: 1
questions:
  - id: drift
    round: mlops
    title: Drift watch
    tags: [drift, monitoring]
    prompt: How would you notice that a fraud model's inputs drifted?
    rubric:
      - point: compare live feature distributions with training ones
      - point: alert on a stability index threshold
      - point: check label delay before blaming the model
    model_answer: Compare distributions, alert on thresholds, mind label delay.
  - id: psi
    round: mlops
    title: PSI
    tags: [drift]
    prompt: What does a population stability index of 0.3 suggest?
    rubric:
      - point: a large shift in the distribution
      - point: investigate the feature pipeline
      - point: consider retraining
    model_answer: A large shift; check the pipeline, then consider retraining.
  - id: rollout
    round: mlops
    title: Rollout
    tags: [deployment]
    prompt: How do you roll out a new risk model safely?
    rubric:
      - point: shadow mode first
      - point: canary on a slice of traffic
      - point: rollback plan with a kill switch
    model_answer: Shadow, canary, rollback.
  - id: auc
    kind: choice
    round: stats
    title: AUC
    difficulty: easy
    tags: [metrics]
    prompt: What does ROC AUC measure?
    choices: [ranking quality, calibration]
    answer: 0
  - id: base-rate
    kind: numeric
    round: stats
    title: Base rate
    tags: [bayes]
    prompt: P(fraud) = 0.5 here; what is it?
    answer: 0.5
    tolerance: 0.01
"""


@pytest.fixture(autouse=True)
def pack_only(drill_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogue is exactly PACK: built-in packs change as others add questions."""
    empty = tmp_path / "no-builtin"
    empty.mkdir()
    monkeypatch.setattr("drill.packs.catalog.builtin_questions_dir", lambda: empty)
    (drill_home / "packs").mkdir(parents=True)
    (drill_home / "packs" / "t.yaml").write_text(PACK, encoding="utf-8")


def summary(uid: str):
    from drill.packs.catalog import load_catalog

    return load_catalog().find(uid)


def record(store, uid: str, score: float, at: datetime, seconds: float = 60, **kw):
    a = Attempt.for_question(summary(uid), started_at=at - timedelta(seconds=seconds), ended_at=at,
                             score=score, verdict="graded", **kw)
    return record_attempt(store, a)


@pytest.fixture
def history():
    with open_store(fuzz=False) as st:
        record(st, "t/drift", 0.2, NOW - timedelta(days=3))  # again: due NOW - 2 days
        record(st, "t/auc", 1.0, NOW - timedelta(days=1))  # easy: due NOW + 7 days
        record(st, "t/base-rate", 0.8, NOW - timedelta(days=10))  # good: due NOW - 8 days
        record(st, "t/psi", 0.0, NOW, cram=True)  # cram: no card
        yield st


def build(store, **kw):
    return report.build(now=NOW, tz=UTC, store=store, **kw)


def test_report_numbers(history):
    data = build(history)
    assert (data["attempts"], data["questions_seen"], data["questions_total"]) == (4, 4, 5)
    assert data["rounds"] == [
        {"round": "mlops", "attempts": 2, "seen": 2, "total": 3, "mean_score": 0.1,
         "weekly_means": [None, None, None, 0.1], "strength": data["rounds"][0]["strength"]},
        {"round": "stats", "attempts": 2, "seen": 2, "total": 2, "mean_score": 0.9,
         "weekly_means": [None, None, 0.8, 1.0], "strength": data["rounds"][1]["strength"]},
    ]
    assert (data["due_today"], data["due_week"]) == (2, 3)
    assert data["streak_days"] == 2
    assert data["time_seconds"] == 240
    assert data["calendar"] == {"2026-11-10": 1, "2026-11-17": 1, "2026-11-19": 1, "2026-11-20": 1}
    assert [w["tag"] for w in data["weak_tags"]] == ["drift", "monitoring", "bayes", "metrics"]
    assert data["weak_tags"][0]["attempts"] == 2
    assert data["suggestion"] == "drill start --focus due"


def test_report_filters(history):
    data = build(history, round="stats")
    assert (data["attempts"], data["questions_seen"], data["questions_total"]) == (2, 2, 2)
    assert [r["round"] for r in data["rounds"]] == ["stats"]
    assert [w["tag"] for w in data["weak_tags"]] == ["bayes", "metrics"]
    assert (data["due_today"], data["due_week"]) == (1, 2)
    recent = build(history, since="2026-11-18")
    assert recent["attempts"] == 2 and recent["questions_seen"] == 2
    assert build(history, since="3d")["attempts"] == 2  # 18, 19 and 20 November


def test_suggestions():
    base = {"attempts": 5, "due_today": 0, "rounds": [
        {"round": "mlops", "total": 3, "seen": 3, "strength": {"score": 0.55}},
        {"round": "stats", "total": 4, "seen": 1, "strength": {"score": 0.8}},
    ]}
    assert report.suggest({**base, "attempts": 0}, None) == "drill start --round mlops"
    assert report.suggest({**base, "due_today": 2}, "stats") == "drill start --round stats --focus due"
    assert report.suggest(base, None) == "drill start --round mlops --focus weak"
    base["rounds"][0]["strength"] = {"score": 0.9}
    assert report.suggest(base, None) == "drill start --round stats --focus new"


def render_text(data) -> str:
    buf = io.StringIO()
    report.render(data, False, Console(file=buf, width=100, color_system=None))
    return buf.getvalue()


def test_report_rendering(history):
    lines = render_text(build(history)).splitlines()
    assert lines[0] == "Progress"
    assert lines[1] == "4 attempts · 4/5 questions seen · 4m practised · streak 2 days"
    assert lines[3].split() == ["round", "seen", "attempts", "mean", "last", "4", "weeks"]
    assert lines[4].split() == ["mlops", "2/3", "2", "0.10", "···▁"]
    assert lines[5].split() == ["stats", "2/2", "2", "0.90", "··▇█"]
    assert "Weakest tags" in lines
    drift = next(line for line in lines if line.strip().startswith("drift"))
    assert "████" in drift and "(2 attempts)" in drift
    assert "Due 2 today · 3 within 7 days" in lines
    cal = lines[lines.index("Activity (last 12 weeks)") + 1:][:8]
    # 20 Nov 2026 is a Friday: the last column holds this week, Sat and Sun still to come.
    assert cal[1] == "Tue · · · · · · · · · · ░ ░"  # 10 and 17 November
    assert cal[3] == "Thu · · · · · · · · · · · ░"
    assert cal[4] == "Fri · · · · · · · · · · · ░"
    assert cal[5] == "Sat · · · · · · · · · · ·  "
    assert lines[-1] == "Next: drill start --focus due"


def test_sparkline_bar_and_duration():
    assert report.sparkline([None, 0.0, 0.5, 1.0]) == "·▁▅█"
    assert report.bar(0.25, 8) == "██░░░░░░"
    assert report.duration(59) == "0m" and report.duration(3 * 3600 + 125) == "3h 02m"


# ---------------------------------------------------------------- through the CLI


def recent(store, uid: str, score: float, days_ago: float):
    record(store, uid, score, datetime.now(UTC) - timedelta(days=days_ago))


def test_cli_report_json_contract(cli, drill_home: Path):
    with open_store(fuzz=False) as st:
        recent(st, "t/drift", 0.3, 10)
        recent(st, "t/auc", 1.0, 0.01)
    code, out, err = cli("report", "--json")
    assert code == 0, err
    data = json.loads(out)
    for key in ("attempts", "questions_seen", "questions_total", "rounds", "weak_tags", "due_today", "due_week"):
        assert key in data
    assert (data["attempts"], data["questions_seen"], data["questions_total"]) == (2, 2, 5)
    assert set(data["rounds"][0]) >= {"round", "attempts", "seen", "total", "mean_score"}
    assert set(data["weak_tags"][0]) >= {"tag", "score", "attempts"}
    assert data["due_today"] == 1  # drift: rated Again ten days ago


def test_cli_report_counts_extra_packs(cli, tmp_path: Path):
    extra = tmp_path / "extra.yaml"
    extra.write_text(PACK.replace("pack: t\n", "pack: extra\n"), encoding="utf-8")
    code, out, err = cli("report", "--json", "--pack", str(extra))
    assert code == 0, err
    data = json.loads(out)
    assert data["questions_total"] == 10
    assert {r["round"]: r["total"] for r in data["rounds"]} == {"mlops": 6, "stats": 4}


def test_cli_report_bad_options(cli):
    code, _out, err = cli("report", "--since", "yesterday-ish")
    assert code == 2 and "--since" in err
    code, _out, err = cli("report", "--round", "astrology")
    assert code == 2 and "no round 'astrology'" in err


def test_dashboard_first_time_is_a_welcome_and_creates_nothing(cli, drill_home: Path):
    code, out, err = cli()
    assert code == 0, err
    assert "Welcome to drill" in out and "5 questions in 2 rounds" in out
    assert "drill start --round mlops" in out
    assert not (drill_home / "drill.db").exists()


def test_dashboard_with_history(history):
    buf = io.StringIO()
    dashboard.render(build(history), Console(file=buf, width=100, color_system=None))
    lines = buf.getvalue().splitlines()
    assert lines[0] == "drill · 2 due today · streak 2 days · 4/5 questions seen"
    assert lines[1].startswith("Weakest: drift 0.")
    assert lines[1].count(",") == 2
    assert lines[2].startswith("Next: drill start --focus due")


def test_history_newest_first(cli, history):
    code, out, err = cli("history", "--limit", "2", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["uid"] for r in rows] == ["t/psi", "t/auc"]
    code, out, _ = cli("history")
    assert "t/base-rate" in out and "cram" in out
    code, _, err = cli("history", "--limit", "0")
    assert code == 2 and "--limit" in err


def test_history_empty(cli):
    code, out, _ = cli("history")
    assert code == 0 and "No attempts yet" in out


def test_export_json_round_trip(cli, history, tmp_path: Path):
    target = tmp_path / "out.json"
    code, _out, err = cli("export", "--format", "json", "-o", str(target))
    assert code == 0, err
    assert "Exported 4 attempts" in err
    back = load_json(target.read_text(encoding="utf-8"))
    assert back == history.attempts(newest_first=False)
    code, out, _ = cli("export")
    assert load_json(out) == back


def test_export_csv(cli, history):
    code, out, _ = cli("export", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["uid"] for r in rows] == ["t/base-rate", "t/drift", "t/auc", "t/psi"]
    assert rows[1]["tags"] == "drift;monitoring" and rows[3]["cram"] == "1"


def test_export_bad_format_and_target(cli, tmp_path: Path):
    code, _, err = cli("export", "--format", "xml")
    assert code == 2 and "json or csv" in err
    code, _, err = cli("export", "-o", str(tmp_path / "missing" / "x.json"))
    assert code == 2 and "does not exist" in err


def count_attempts(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM attempts").fetchone()[0]
    finally:
        con.close()


def test_reset_keeps_a_backup(cli, history, drill_home: Path):
    history.close()
    code, out, err = cli("reset", "--yes")
    assert code == 0, err
    backups = list((drill_home / "backups").glob("drill-*.db"))
    assert len(backups) == 1 and str(backups[0]) in out
    assert count_attempts(backups[0]) == 4
    assert count_attempts(drill_home / "drill.db") == 0


def test_reset_asks_first(cli, history, drill_home: Path):
    history.close()
    code, out, _ = cli("reset", input="n\n")
    assert code == 0 and "Nothing changed" in out
    assert count_attempts(drill_home / "drill.db") == 4
    code, _, err = cli("reset", input="")
    assert code == 2 and "--yes" in err
    assert count_attempts(drill_home / "drill.db") == 4
    code, out, _ = cli("reset", input="y\n")
    assert code == 0 and count_attempts(drill_home / "drill.db") == 0


def test_reset_without_a_database(cli, drill_home: Path):
    code, out, _ = cli("reset", "--yes")
    assert code == 0 and "No progress" in out


def _export_as_it_was(fmt: str) -> str:
    """`drill export`'s body as it was before it streamed rows past the Attempt class
    (Attempt.to_dict on every attempt): the reference the faster export must equal."""
    from dataclasses import fields

    from drill.strictjson import dumps
    from drill.ui import json_safe

    with open_store(create=False) as store:
        attempts = store.attempts(newest_first=False)
    if fmt == "json":
        return "".join(("\n  " if i == 0 else ",\n  ") + json_safe(dumps(a.to_dict(), ensure_ascii=False))
                       for i, a in enumerate(attempts))
    cols = [f.name for f in fields(Attempt)]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for a in attempts:
        d = a.to_dict()
        d["tags"] = ";".join(d["tags"])
        for k in ("cases", "rubric"):
            d[k] = "" if d[k] is None else dumps(d[k], ensure_ascii=False)
        for k in ("skipped", "cram"):
            d[k] = int(d[k])
        w.writerow(["" if d[c] is None else d[c] for c in cols])
    return buf.getvalue()


def test_export_is_byte_for_byte_what_it_was(drill_home: Path):
    from drill.commands.export import export

    cases = [{"name": "t-1", "hidden": True, "status": "passed", "time_ms": 1.25, "message": ""},
             {"name": "ünïcode \x1b[2J ☃", "hidden": False, "status": "wrong_answer", "time_ms": 3.0,
              "message": 'say "hi"\n\tthere \u2028 \x85'}]
    rubric = [{"point": "naïve — point", "weight": 1.0, "must": True, "hit": False}]
    with open_store(fuzz=False) as st:
        for i in range(10):  # q7 and q9 keep plain ASCII cases: written as stored
            st.insert_attempt(Attempt(
                uid=f"t/q{i}", pack="t", round="mlops", kind="code" if i % 2 else "open", difficulty="easy",
                tags=("a", "é") if i else (), started_at=NOW - timedelta(hours=i, seconds=i / 7),
                ended_at=NOW - timedelta(hours=i - 1), score=i / 9, verdict="passed",
                seconds=None if i == 3 else 12.5 * i, budget_seconds=None if i % 3 else 600.0,
                cases=cases[: i % 3] if i % 2 else None, rubric=None if i % 2 else rubric, hints_used=i,
                answer=f"x\x1b]52;c;Zm9v\x07 ünï {i}\r\n", skipped=i == 5, session_id=None, cram=i == 6))
    db = sqlite3.connect(drill_home / "drill.db")
    with db:  # what older drills and hand edits may have left
        db.execute("UPDATE attempts SET cases = ? WHERE uid = 't/q1'", ('[{"name": "t", "time_ms": Infinity}]',))
        db.execute("UPDATE attempts SET cases = ? WHERE uid = 't/q3'", ("null",))
        db.execute("UPDATE attempts SET started_at = ? WHERE uid = 't/q2'", ("2026-11-20T17:00:00+01:00",))
        db.execute("UPDATE attempts SET ended_at = ? WHERE uid = 't/q4'", ("2026-11-20T16:00:00.5Z",))
    db.close()
    for fmt in ("json", "csv"):
        out = io.StringIO()
        assert export(fmt, None, stdout=out) == 10
        text = out.getvalue()
        if fmt == "json":
            text = text[text.index('"attempts": [') + len('"attempts": ['):-len("\n]}\n")]
        assert text == _export_as_it_was(fmt), fmt
    from drill.progress.store import _DICT_COLS

    assert list(_DICT_COLS) == [f for f in Attempt.__dataclass_fields__]
