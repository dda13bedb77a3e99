"""Scheduling with an interview date: capped due dates, the final window, the stored date."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from drill.errors import InputError
from drill.packs.catalog import Summary
from drill.progress import interview as iv_mod
from drill.progress import schedule
from drill.progress.interview import FINAL_DAYS, Interview
from drill.progress.record import record_attempt
from drill.progress.schedule import effective_due, select
from drill.progress.store import Attempt, Review, open_store

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def utc_local_time():
    """Stored dates are read in the machine's zone: make it UTC, as the expectations are."""
    import os
    import time

    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def summary(uid: str, round: str = "mlops", minutes: float = 10.0) -> Summary:
    return Summary(uid=uid, pack="p", id=uid.split("/")[1], round=round, kind="open", difficulty="medium",
                   tags=("t",), title=uid, minutes=minutes, path="p.yaml")


def interview(days: int, **kw) -> Interview:
    return Interview(TODAY + timedelta(days=days), tz=UTC, **kw)


def attempt(uid: str, score: float, at: datetime, budget: float = 900) -> Attempt:
    return Attempt(uid=uid, pack="p", round="mlops", kind="open", difficulty="medium", tags=("t",),
                   started_at=at - timedelta(seconds=300), ended_at=at, score=score, verdict="graded",
                   budget_seconds=budget)


def put_card(store, uid: str, *, stability: float, last_review: datetime, due: datetime) -> None:
    """A card with a chosen memory state, written as drill writes reviewed cards."""
    from fsrs import Card, State

    card = Card(card_id=schedule.card_id(uid), state=State.Review, step=None, stability=stability,
                difficulty=5.0, due=due, last_review=last_review)
    with store.transaction() as tx:
        aid = tx.insert_attempt(attempt(uid, 0.8, last_review))
        tx.write_review(uid, aid, last_review, Review(rating=3, card_json=card.to_json(), due=due, state=2,
                                                      lapse=False, duration_ms=1000, log_json="{}"))


# ---------------------------------------------------------------- the moments


def test_interview_moments_are_local_midnights():
    iv = interview(10)
    assert iv.starts() == datetime(2026, 11, 20, tzinfo=UTC)
    assert iv.window_start() == datetime(2026, 11, 20 - FINAL_DAYS, tzinfo=UTC)
    assert iv.days_left(TODAY) == 10
    assert iv.active(NOW) and not iv.active(iv.starts())


# ---------------------------------------------------------------- effective due


def test_effective_due_caps_at_the_interview_and_pulls_into_the_final_window():
    iv = interview(10)
    start, window = iv.starts(), iv.window_start()
    long_ago = NOW - timedelta(days=5)
    # FSRS says after the interview: capped at the interview.
    assert effective_due(start + timedelta(days=20), long_ago, iv, NOW) == start
    # FSRS says inside the final window, last reviewed before it: due when the window opens.
    assert effective_due(window + timedelta(days=1, hours=3), long_ago, iv, NOW) == window
    # Reviewed inside the window already: FSRS's own due stands (its last review is done).
    inside = window + timedelta(hours=2)
    assert effective_due(window + timedelta(days=2), inside, iv, inside) == window + timedelta(days=2)
    # Before the window: unchanged.
    assert effective_due(NOW + timedelta(days=2), long_ago, iv, NOW) == NOW + timedelta(days=2)
    # No date, or the interview day has come: FSRS's due, unchanged.
    assert effective_due(start + timedelta(days=20), long_ago, None, NOW) == start + timedelta(days=20)
    assert effective_due(start + timedelta(days=20), long_ago, iv, start) == start + timedelta(days=20)


def test_nothing_recorded_before_the_interview_is_due_after_it():
    """Every rating at every day before the interview: the due drill reports is never later
    than the interview, while the card JSON keeps py-fsrs's own due."""
    with open_store(":memory:", fuzz=False) as st:
        iv = interview(12)
        iv_mod.save(st, iv, now=NOW)
        later_than_fsrs = 0
        for day in range(12):
            for score, uid in ((1.0, "p/easy"), (0.8, "p/good"), (0.6, "p/hard"), (0.2, "p/again")):
                at = NOW + timedelta(days=day)
                res = record_attempt(st, attempt(f"{uid}{day % 3}", score, at))
                assert res.due is not None and res.due <= iv.starts()
                card = json.loads(st.card(f"{uid}{day % 3}").card_json)
                fsrs_due = datetime.fromisoformat(card["due"])
                assert st.card(f"{uid}{day % 3}").due == fsrs_due  # the stored card is py-fsrs's
                later_than_fsrs += fsrs_due > iv.starts()
        assert later_than_fsrs > 0  # the cap did something
        for now in (NOW + timedelta(days=d) for d in range(12)):
            due = schedule.due_uids(st, now)
            for uid in due:
                c = st.card(uid)
                assert effective_due(c.due, c.last_review, iv, now) <= iv.starts()


def test_lowest_predicted_recall_on_the_day_comes_first_in_the_final_window():
    """A: old and stable; B: recent and fragile. Today A is the weaker, but on the
    interview day B is: in the last 3 days B comes first, before them A does."""
    sched = schedule.make_scheduler(fuzz=False)
    with open_store(":memory:", fuzz=False) as st:
        put_card(st, "p/a", stability=30, last_review=NOW - timedelta(days=25), due=NOW - timedelta(days=1))
        put_card(st, "p/b", stability=3, last_review=NOW - timedelta(days=2), due=NOW - timedelta(hours=1))
        iv = interview(2)  # today is in the final window
        assert iv.window_start() <= NOW < iv.starts()
        r_now = {u: schedule.recall_at(sched, st.card(u).card_json, NOW) for u in ("p/a", "p/b")}
        r_day = {u: schedule.recall_at(sched, st.card(u).card_json, iv.starts()) for u in ("p/a", "p/b")}
        assert r_now["p/a"] < r_now["p/b"] and r_day["p/b"] < r_day["p/a"]  # the premise

        pool = [summary("p/a"), summary("p/b")]
        order = [s.uid for s in select(pool, st, focus="due", count=2, now=NOW, interview=iv)]
        assert order == ["p/b", "p/a"]
        assert [s.uid for s in select(pool, st, count=2, now=NOW, interview=iv)] == ["p/b", "p/a"]
        # Far from the interview (or with no date) it is recall today that orders them.
        far = interview(40)
        assert [s.uid for s in select(pool, st, focus="due", count=2, now=NOW, interview=far)] == ["p/a", "p/b"]
        assert [s.uid for s in select(pool, st, focus="due", count=2, now=NOW, interview=None)] == ["p/a", "p/b"]


def test_final_window_brings_reviews_forward_and_orders_the_rest_by_recall_on_the_day():
    with open_store(":memory:", fuzz=False) as st:
        iv = interview(3)  # the window opens today at midnight
        # Due in two days by FSRS (inside the window), last reviewed before it: due now.
        put_card(st, "p/soon", stability=6, last_review=NOW - timedelta(days=4), due=NOW + timedelta(days=2))
        # Due after the interview: not due, but still ordered by recall on the day.
        put_card(st, "p/weak", stability=8, last_review=NOW - timedelta(days=6), due=NOW + timedelta(days=5))
        put_card(st, "p/strong", stability=60, last_review=NOW - timedelta(days=6), due=NOW + timedelta(days=50))
        pool = [summary("p/soon"), summary("p/weak"), summary("p/strong"), summary("p/new")]
        assert [s.uid for s in select(pool, st, focus="due", count=4, now=NOW, interview=iv)] == ["p/soon"]
        assert [s.uid for s in select(pool, st, focus="due", count=4, now=NOW, interview=None)] == []
        order = [s.uid for s in select(pool, st, count=4, now=NOW, interview=iv)]
        assert order == ["p/soon", "p/new", "p/weak", "p/strong"]
        # The stored date is what sessions use when none is passed.
        iv_mod.save(st, iv, now=NOW)
        assert [s.uid for s in select(pool, st, focus="due", count=4, now=NOW)] == ["p/soon"]


def test_recorded_due_is_capped_and_shown_capped():
    with open_store(":memory:", fuzz=False) as st:
        iv_mod.save(st, interview(5), now=NOW)
        res = record_attempt(st, attempt("p/q", 1.0, NOW))  # Easy: FSRS says 8 days
        assert res.rating == "easy"
        assert res.due == interview(5).starts() == datetime(2026, 11, 15, tzinfo=UTC)
        assert st.card("p/q").due == NOW + timedelta(days=8)
        iv_mod.clear(st)
        res = record_attempt(st, attempt("p/r", 1.0, NOW))
        assert res.due == NOW + timedelta(days=8)


# ---------------------------------------------------------------- the stored date


@pytest.mark.parametrize(("text", "message"), [
    ("next tuesday", "wants a date like"),
    ("2026-13-01", "wants a date like"),
    ("2026-11-09", "in the past"),
    ("2026-11-10", "is today"),
    ("2027-11-11", "more than a year away"),
])
def test_bad_interview_dates(text, message):
    with pytest.raises(InputError, match=message):
        iv_mod.parse_day(text, TODAY)


def test_good_interview_dates():
    assert iv_mod.parse_day(" 2026-11-11 ", TODAY) == date(2026, 11, 11)
    assert iv_mod.parse_day("2027-11-10", TODAY) == date(2027, 11, 10)  # 365 days ahead


@pytest.mark.parametrize("hours", [0, 0.1, 16.5, float("nan"), float("inf"), -2])
def test_bad_hours(hours):
    with pytest.raises(InputError, match="--hours-per-day"):
        iv_mod.check_hours(hours)


@pytest.mark.parametrize("stored", [
    "not json", "[]", '{"date": 5}', '{"date": "2026-12-15", "hours_per_day": "two"}',
    '{"date": "2026-12-15", "hours_per_day": 1e9}', '{"date": "2026-12-15", "rounds": [1, 2]}',
    '{"date": "2026-12-15", "rounds": ["' + "x" * 500 + '"]}', '{"date": "2026-12-15", "pad": "' + "x" * 9000 + '"}',
    '{"date": "2026-02-30"}', '{"date": "2026-12-15", "hours_per_day": true}',
])
def test_a_damaged_stored_date_reads_as_none_with_a_reason(stored):
    with open_store(":memory:") as st:
        st.set_setting(iv_mod.KEY, stored)
        iv, why = iv_mod.read(st)
        assert iv is None and "unreadable" in (why or "")
        assert iv_mod.load(st) is None
        # Scheduling goes on as without a date.
        assert select([summary("p/x")], st, count=1, now=NOW) == [summary("p/x")]


def test_stored_date_round_trip():
    with open_store(":memory:") as st:
        saved = iv_mod.save(st, Interview(date(2026, 12, 15), 1.5, ("sql", "coding")), now=NOW)
        back = iv_mod.load(st)
        assert back == saved and back.rounds == ("sql", "coding") and back.hours_per_day == 1.5
        assert json.loads(st.setting(iv_mod.KEY))["set_at"].startswith("2026-11-10T09:00")
        assert iv_mod.clear(st) and iv_mod.load(st) is None and not iv_mod.clear(st)
