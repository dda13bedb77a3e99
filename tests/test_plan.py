"""The day-by-day plan and readiness per round, on synthetic catalogues and histories."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from drill.packs.catalog import Summary
from drill.progress import plan as plan_mod
from drill.progress import readiness, schedule, weakness
from drill.progress.interview import Interview
from drill.progress.record import record_attempt
from drill.progress.store import Attempt, open_store
from drill.session.flow import DEFAULT_COUNT, MIXED_LOOP

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
TODAY = NOW.date()

# round: (questions, kind, minutes of each)
CATALOGUE = {
    "coding": (8, "code", 25), "sql": (6, "sql", 15), "screen": (4, "open", 10),
    "system-design": (5, "open", 35), "llm-safety": (4, "open", 20), "ml-modeling": (5, "open", 20),
    "mlops": (5, "open", 20), "data-pipelines": (4, "open", 20), "deep-learning": (5, "open", 20),
    "stats": (10, "numeric", 5), "ml-fundamentals": (10, "choice", 3), "behavioral": (6, "open", 15),
    "take-home": (2, "model", 150), "fraud-ops": (3, "open", 20),  # a custom round
}


def catalogue(spec=CATALOGUE) -> list[Summary]:
    out = []
    for r, (n, kind, minutes) in spec.items():
        for i in range(n):
            out.append(Summary(uid=f"t/{r}-{i}", pack="t", id=f"{r}-{i}", round=r, kind=kind,
                               difficulty=("easy", "medium", "hard")[i % 3], tags=(f"{r}-tag{i % 2}",),
                               title=f"{r} {i}", minutes=float(minutes), path="t.yaml"))
    return out


def interview(days: int, hours: float = 2.0, rounds: tuple[str, ...] = ()) -> Interview:
    return Interview(TODAY + timedelta(days=days), hours, rounds, tz=UTC)


def record(store, s: Summary, score: float, at: datetime, **kw):
    a = Attempt.for_question(s, started_at=at - timedelta(minutes=s.minutes * 0.8), ended_at=at,
                             score=score, verdict="graded", **kw)
    return record_attempt(store, a)


def build(store, iv, questions=None, **kw):
    return plan_mod.build(questions or catalogue(), store, iv, now=NOW, loop=MIXED_LOOP,
                          mock_count=DEFAULT_COUNT["mixed"], **kw)


def new_rounds(p) -> dict[str, int]:
    """Round -> index of the first day that asks a new question of it."""
    first: dict[str, int] = {}
    for i, d in enumerate(p.days):
        for t in d.tasks:
            if t.kind == "new":
                first.setdefault(t.round, i)
    return first


# ---------------------------------------------------------------- the plan


def test_a_ten_day_plan_with_two_hours_a_day_reaches_every_round():
    with open_store(":memory:", fuzz=False) as st:
        p = build(st, interview(10))
    assert [d.day for d in p.days] == [TODAY + timedelta(days=i) for i in range(10)]
    first = new_rounds(p)
    assert set(first) == set(CATALOGUE) and p.unreached == []
    # Waves: coding and SQL on day one; behavioural stories and the take-home at the end.
    assert first["coding"] == 0 and first["sql"] == 0
    b1, b2 = plan_mod.wave_bounds(10)
    assert (b1, b2) == (4, 8)
    assert first["behavioral"] >= b2 and first["take-home"] >= b2
    assert all(first[r] >= b1 for r in ("system-design", "ml-modeling", "fraud-ops"))
    # It fits the hours: only a question longer than a whole day (the take-home) overflows,
    # and then it has the day to itself.
    for d in p.days:
        if d.minutes > d.budget:
            assert [t.kind for t in d.tasks] == ["new"] and d.tasks[0].count == 1
            assert d.tasks[0].minutes > d.budget
        assert d.budget == 120
    # Full mock loops in the last week, on the 6th, 4th and 2nd day before (where they fit).
    mock_days = [i for i, d in enumerate(p.days) if any(t.kind == "mock" for t in d.tasks)]
    assert mock_days and all(10 - i in plan_mod.MOCK_DAYS_BEFORE for i in mock_days)
    mock = next(t for d in p.days for t in d.tasks if t.kind == "mock")
    assert mock.command.startswith("drill start --round mixed --count ")
    # Every task is a command that drill start accepts.
    for d in p.days:
        for t in d.tasks:
            assert t.command.startswith("drill start --round ")


def test_the_plan_fills_the_day_and_follows_the_budgets():
    with open_store(":memory:", fuzz=False) as st:
        p = build(st, interview(21, hours=1.5))
    for d in p.days:
        assert d.minutes <= d.budget or len(d.tasks) == 1
    # While unseen questions remain, no day is left with time for one of them unused
    # (the longest ordinary question here takes 35 minutes).
    for d in p.days[:10]:
        assert d.budget - d.minutes < 35, d


def test_nothing_in_the_plan_falls_on_or_after_the_interview_and_reviews_come_back():
    qs = catalogue()
    with open_store(":memory:", fuzz=False) as st:
        for k, s in enumerate(qs[:30]):
            record(st, s, 0.3 if k % 3 == 0 else 0.9, NOW - timedelta(days=20 - k % 15))
        iv = interview(14)
        p = build(st, iv, qs)
    assert p.days[-1].day == iv.day - timedelta(days=1)
    assert all(d.day < iv.day for d in p.days)
    reviews = sum(t.count for d in p.days for t in d.tasks if t.kind == "review")
    assert reviews > 10
    # Questions first met during the plan come back as reviews later in it.
    seen_rounds_today = {t.round for t in p.days[0].tasks if t.kind == "new"}
    later_reviews = {t.round for d in p.days[2:] for t in d.tasks if t.kind == "review"}
    assert seen_rounds_today & later_reviews


def test_reviews_in_the_final_window_go_lowest_predicted_recall_first():
    """Two questions due in the last days, time for one: the one least likely to be
    recalled on the interview day is planned, although it is the stronger one today."""
    from tests.test_interview_schedule import put_card

    qs = [Summary(uid=f"t/{r}", pack="t", id=r, round=r, kind="open", difficulty="medium", tags=(r,),
                  title=r, minutes=10.0, path="t.yaml") for r in ("mlops", "stats")]
    sched = schedule.make_scheduler(fuzz=False)
    iv = interview(2, hours=0.25)  # 15 minutes a day: one review
    with open_store(":memory:", fuzz=False) as st:
        put_card(st, "t/mlops", stability=30, last_review=NOW - timedelta(days=25), due=NOW - timedelta(days=1))
        put_card(st, "t/stats", stability=3, last_review=NOW - timedelta(days=2), due=NOW - timedelta(hours=1))
        r_now = {u: schedule.recall_at(sched, st.card(u).card_json, NOW) for u in ("t/mlops", "t/stats")}
        r_day = {u: schedule.recall_at(sched, st.card(u).card_json, iv.starts()) for u in ("t/mlops", "t/stats")}
        assert r_now["t/mlops"] < r_now["t/stats"] and r_day["t/stats"] < r_day["t/mlops"]
        p = build(st, iv, qs)
        far = build(st, interview(30, hours=0.25), qs, limit=1)
    assert p.days[0].final
    assert [(t.kind, t.round) for t in p.days[0].tasks] == [("review", "stats")]
    assert p.days[0].reviews_left == 1
    assert [(t.kind, t.round) for t in far.days[0].tasks] == [("review", "mlops")]


def test_weakest_and_least_covered_rounds_get_new_questions_first():
    spec = {"mlops": (10, "open", 20), "ml-modeling": (10, "open", 20)}
    qs = catalogue(spec)
    with open_store(":memory:", fuzz=False) as st:
        # mlops: 4 seen, all strong; ml-modeling: 1 seen, weak.
        for s in qs[:4]:
            record(st, s, 1.0, NOW - timedelta(days=1))
        record(st, qs[10], 0.2, NOW - timedelta(days=1))
        p = build(st, interview(20, hours=1.0, rounds=("mlops", "ml-modeling")), qs, limit=1)
    news = [t for t in p.days[0].tasks if t.kind == "new"]
    assert news[0].round == "ml-modeling"
    assert sum(t.count for t in news if t.round == "ml-modeling") > sum(t.count for t in news if t.round == "mlops")


def test_only_the_chosen_rounds_and_today_less_what_was_done():
    qs = catalogue()
    with open_store(":memory:", fuzz=False) as st:
        p = build(st, interview(10, rounds=("sql", "stats")), qs, done_today_minutes=45, limit=1)
    assert p.rounds == ["sql", "stats"]
    assert {t.round for d in p.days for t in d.tasks} <= {"sql", "stats"}
    assert p.days[0].budget == 75 and p.days[0].minutes <= 75


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 10, 20, 42, 49, 56, 120, 365])
def test_wave_bounds(n):
    b1, b2 = plan_mod.wave_bounds(n)
    assert 0 <= b1 <= b2 <= n
    if n >= 2:
        assert b2 <= n - 1  # a final wave exists
    if n == 49:
        assert (b1, b2) == (21, 42)  # three weeks, three weeks, the final week
    if n >= 49:
        assert n - b2 == 7


# ---------------------------------------------------------------- readiness


def test_readiness_on_a_synthetic_history():
    spec = {"sql": (10, "sql", 15), "stats": (10, "numeric", 5), "behavioral": (5, "open", 15)}
    qs = catalogue(spec)
    sql, stats = qs[:10], qs[10:20]
    iv = interview(14)
    with open_store(":memory:", fuzz=False) as st:
        for s in sql[:8]:  # 8 of 10 sql seen, strong, reviewed three times
            for days_ago in (20, 12, 2):
                record(st, s, 1.0, NOW - timedelta(days=days_ago))
        for s in stats[:2]:  # 2 of 10 stats seen, weak, once
            record(st, s, 0.3, NOW - timedelta(days=1))
        record(st, stats[2], 0.5, NOW - timedelta(days=1), cram=True)  # seen, but no card
        r = readiness.assess(qs, st, now=NOW, at=iv.starts(), rounds=["sql", "stats", "behavioral"],
                             days_left=14)
        sched = schedule.make_scheduler(fuzz=False)
        want_recall = {
            "sql": sum(schedule.recall_at(sched, st.card(s.uid).card_json, iv.starts()) for s in sql[:8]) / 8,
            "stats": sum(schedule.recall_at(sched, st.card(s.uid).card_json, iv.starts()) for s in stats[:2]) / 2,
        }
        mu0 = weakness.overall_mean(st, NOW)
        strengths = {s.key: s for s in weakness.round_strengths(st, NOW, mu0=mu0)}
    by = {row.round: row for row in r.rounds}
    assert [row.round for row in r.rounds] == ["sql", "stats", "behavioral"]
    assert (by["sql"].seen, by["sql"].questions, by["sql"].coverage) == (8, 10, 0.8)
    assert (by["stats"].seen, by["stats"].cards) == (3, 2)  # the cram attempt counts as seen, not recalled
    assert by["sql"].recall == pytest.approx(want_recall["sql"])
    assert by["stats"].recall == pytest.approx(want_recall["stats"])
    assert by["sql"].score == pytest.approx(strengths["sql"].score)
    assert by["sql"].sd == pytest.approx(strengths["sql"].sd)
    lo, hi = by["stats"].interval
    assert lo == pytest.approx(max(0, strengths["stats"].score - 2 * strengths["stats"].sd))
    assert hi == pytest.approx(min(1, strengths["stats"].score + 2 * strengths["stats"].sd))
    # Statuses follow the documented bars.
    assert by["behavioral"].status == "not started" and by["behavioral"].recall is None
    assert by["stats"].status == "not ready" and "3/10 seen" in by["stats"].reason
    assert by["sql"].status == readiness.status_of(0.8, by["sql"].recall, by["sql"].score, 24)[0]
    j = r.to_json()
    assert j["total_rounds"] == 3 and j["rounds"][0]["score"]["attempts"] == 24
    assert set(j["rounds"][0]) >= {"round", "questions", "seen", "coverage", "cards", "recall", "score",
                                   "status", "reason", "short_of"}
    # The verdict in words names what is furthest behind.
    assert r.verdict.startswith("Not ready yet with 14 days left")
    assert "behavioral (not started)" in r.verdict and "stats (" in r.verdict


@pytest.mark.parametrize(("coverage", "recall", "score", "attempts", "status"), [
    (0.0, None, None, 0, "not started"),
    (0.6, 0.85, 0.75, 5, "ready"),
    (0.59, 0.95, 0.95, 5, "close"),
    (0.9, 0.84, 0.9, 5, "close"),
    (0.9, 0.9, 0.74, 5, "close"),
    (0.29, 0.9, 0.9, 5, "not ready"),
    (0.9, 0.69, 0.9, 5, "not ready"),
    (0.9, None, 0.9, 5, "not ready"),
    (0.9, 0.9, 0.59, 5, "not ready"),
])
def test_status_bars(coverage, recall, score, attempts, status):
    assert readiness.status_of(coverage, recall, score, attempts)[0] == status


def test_verdict_when_everything_is_ready():
    row = readiness.RoundReadiness("sql", 10, 9, 9, 0.95, 0.9, 0.05, 20, "ready", "", 0.0)
    assert readiness.verdict([row, row], 5).startswith("Ready with 5 days left")
    assert math.isclose(row.coverage, 0.9)
