"""FSRS settings, attempt -> rating, and what a session asks next (controlled clock throughout)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from drill.errors import InputError
from drill.packs.catalog import Summary
from drill.progress import schedule
from drill.progress.record import record_attempt
from drill.progress.schedule import AGAIN, EASY, GOOD, HARD, rating_for, select
from drill.progress.store import Attempt, open_store

NOW = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)


def attempt(score: float, *, uid: str = "p/q", seconds: float = 600, budget: float | None = 900,
            tags: tuple[str, ...] = ("t",), at: datetime = NOW, **kw) -> Attempt:
    return Attempt(uid=uid, pack="p", round="mlops", kind="open", difficulty="medium", tags=tags,
                   started_at=at - timedelta(seconds=seconds), ended_at=at, score=score,
                   verdict="graded", budget_seconds=budget, **kw)


# ---------------------------------------------------------------- ratings

@pytest.mark.parametrize(("score", "kw", "expected"), [
    (0.49, {}, AGAIN),
    (0.5, {}, HARD),
    (0.74, {}, HARD),
    (0.75, {}, GOOD),
    (0.99, {}, GOOD),
    (1.0, {}, EASY),
    (1.0, {"hints_used": 1}, GOOD),
    (1.0, {"hints_used": 2}, HARD),
    (0.8, {"hints_used": 1}, HARD),
    (1.0, {"skipped": True}, AGAIN),
    (0.9, {"rubric": [{"point": "a", "must": True, "hit": False}, {"point": "b", "hit": True}]}, AGAIN),
    (0.9, {"rubric": [{"point": "a", "must": True, "hit": True}, {"point": "b", "hit": False}]}, GOOD),
    # over the budget: one step down
    (1.0, {"seconds": 901}, GOOD),
    (0.8, {"seconds": 901}, HARD),
    (0.6, {"seconds": 901}, AGAIN),
    (0.3, {"seconds": 901}, AGAIN),
    (0.8, {"seconds": 5000, "budget": None}, GOOD),  # no budget, no penalty
])
def test_rating_rules(score, kw, expected):
    assert rating_for(attempt(score, **kw)) == expected


def code_attempt(verdict: str, score: float, *, submissions: int = 1, hints: int = 0,
                 seconds: float = 600, budget: float | None = 900, kind: str = "code") -> Attempt:
    return Attempt(uid="p/c", pack="p", round="coding", kind=kind, difficulty="medium", tags=("t",),
                   started_at=NOW - timedelta(seconds=seconds), ended_at=NOW, score=score,
                   verdict=verdict, budget_seconds=budget, hints_used=hints, submissions=submissions)


@pytest.mark.parametrize(("verdict", "score", "kw", "expected"), [
    # Easy only when the first submission passes, within budget, without hints.
    ("passed", 1.0, {}, EASY),
    ("passed", 1.0, {"kind": "sql"}, EASY),
    # Each failed submission before the pass costs one step ...
    ("passed", 1.0, {"submissions": 2}, GOOD),
    ("passed", 1.0, {"submissions": 3}, HARD),
    ("passed", 1.0, {"submissions": 9}, AGAIN),
    # ... and so does each hint, on top.
    ("passed", 1.0, {"hints": 1}, GOOD),
    ("passed", 1.0, {"hints": 2}, HARD),
    ("passed", 1.0, {"hints": 1, "submissions": 2}, HARD),
    # The first submission passes, but over the budget: not Easy.
    ("passed", 1.0, {"seconds": 901}, GOOD),
    ("passed", 1.0, {"submissions": 2, "seconds": 901}, HARD),
    # Untimed (drill check): a pass proves the answer, not the pace.
    ("passed", 1.0, {"budget": None}, GOOD),
    # Never passed: at most Hard however many cases passed; below half, Again.
    ("failed", 0.95, {}, HARD),
    ("failed", 0.95, {"submissions": 4}, HARD),
    ("failed", 0.8, {"hints": 1}, HARD),
    ("failed", 0.8, {"hints": 2}, AGAIN),
    ("failed", 0.6, {"hints": 1}, AGAIN),
    ("failed", 0.4, {}, AGAIN),
    ("skipped", 0.0, {}, AGAIN),
])
def test_rating_reflects_the_attempt(verdict, score, kw, expected):
    kw = dict(kw)
    skipped = verdict == "skipped"
    a = code_attempt(verdict, score, **kw)
    a.skipped = skipped
    assert rating_for(a) == expected


@pytest.mark.parametrize(("score", "hints", "expected"), [
    (1.0, 0, EASY), (1.0, 1, GOOD), (0.9, 0, GOOD), (0.9, 1, HARD), (0.9, 2, AGAIN), (0.6, 1, AGAIN),
])
def test_hints_lower_self_graded_answers_too(score, hints, expected):
    assert rating_for(attempt(score, hints_used=hints)) == expected


def test_never_passed_is_never_good_or_easy():
    for submissions in range(1, 5):
        for hints in range(3):
            a = code_attempt("failed", 0.99, submissions=submissions, hints=hints)
            assert rating_for(a) <= HARD


# ---------------------------------------------------------------- scheduler settings

def test_scheduler_settings_for_interview_prep(monkeypatch):
    monkeypatch.delenv(schedule.MAX_INTERVAL_ENV, raising=False)
    s = schedule.make_scheduler(fuzz=False)
    assert s.learning_steps == () and s.relearning_steps == ()
    assert s.desired_retention == 0.9 and s.maximum_interval == 30 and s.enable_fuzzing is False


@pytest.mark.parametrize(("score", "days"), [(0.2, 1), (0.6, 1), (0.8, 2), (1.0, 8)])
def test_first_review_intervals(score, days):
    with open_store(":memory:", fuzz=False) as st:
        res = record_attempt(st, attempt(score))
    assert res.due == NOW + timedelta(days=days)


def test_card_ids_are_a_stable_hash_of_the_uid():
    # Kept across exports and replays: the first 6 bytes of SHA-1 of the uid, whichever
    # module computes it (CPython's own, or hashlib elsewhere).
    import hashlib

    for uid in ("coding/two-sum", "sql/ü-weekly", "x"):
        want = int.from_bytes(hashlib.sha1(uid.encode()).digest()[:6], "big")
        assert schedule.card_id(uid) == want
    assert schedule.card_id("a") == 0x86F7E437FAA5  # SHA-1("a") begins 86f7e437faa5


def test_intervals_never_exceed_the_maximum(monkeypatch):
    def good_streak() -> list[int]:
        gaps, at = [], NOW
        with open_store(":memory:", fuzz=False) as st:
            for _ in range(6):
                due = record_attempt(st, attempt(0.9, at=at)).due
                gaps.append((due - at).days)
                at = due
        return gaps

    monkeypatch.delenv(schedule.MAX_INTERVAL_ENV, raising=False)
    assert good_streak() == [2, 11, 30, 30, 30, 30]
    monkeypatch.setenv(schedule.MAX_INTERVAL_ENV, "10")
    assert good_streak() == [2, 10, 10, 10, 10, 10]


@pytest.mark.parametrize("bad", ["0", "abc", "40000", "-3"])
def test_bad_max_interval_setting_is_a_clear_error(monkeypatch, bad):
    monkeypatch.setenv(schedule.MAX_INTERVAL_ENV, bad)
    with pytest.raises(InputError, match=schedule.MAX_INTERVAL_ENV):
        schedule.make_scheduler()


# ---------------------------------------------------------------- selection

def q(uid: str, *tags: str) -> Summary:
    return Summary(uid=f"p/{uid}", pack="p", id=uid, round="mlops", kind="open", difficulty="medium",
                   tags=tags, title=uid, minutes=15.0, path="p.yaml")


QS = [q("forgot", "features"), q("fading", "serving"), q("fresh", "serving"),
      q("new-weak", "features"), q("new-strong", "serving"), q("new-untagged")]


@pytest.fixture
def store():
    with open_store(":memory:", fuzz=False) as st:
        five_days = NOW - timedelta(days=5)
        record_attempt(st, attempt(0.2, uid="p/forgot", tags=("features",), at=five_days))  # due +1d
        record_attempt(st, attempt(0.8, uid="p/fading", tags=("serving",), at=five_days))  # due +2d
        record_attempt(st, attempt(1.0, uid="p/fresh", tags=("serving",), at=NOW - timedelta(days=1)))
        yield st


def uids(rows: list[Summary]) -> list[str]:
    return [s.id for s in rows]


def test_default_order_due_then_weak_unseen_then_unseen_then_rest(store):
    got = uids(select(QS, store, count=10, now=NOW, rng=random.Random(3)))
    assert got[:3] == ["forgot", "fading", "new-weak"]
    assert set(got[3:5]) == {"new-strong", "new-untagged"}
    assert got[5:] == ["fresh"]


def test_count_caps_the_selection(store):
    assert uids(select(QS, store, count=2, now=NOW, rng=random.Random(0))) == ["forgot", "fading"]


def test_focus_due_and_new(store):
    assert uids(select(QS, store, focus="due", count=10, now=NOW)) == ["forgot", "fading"]
    new = uids(select(QS, store, focus="new", count=10, now=NOW, rng=random.Random(1)))
    assert new[0] == "new-weak" and set(new) == {"new-weak", "new-strong", "new-untagged"}


def test_focus_weak_puts_the_weakest_tag_first_due_before_unseen(store):
    got = uids(select(QS, store, focus="weak", count=10, now=NOW, rng=random.Random(2)))
    assert got[:2] == ["forgot", "new-weak"]
    assert got[2] == "new-untagged"  # a question with no history sits at the overall mean
    assert set(got[3:]) == {"fading", "fresh", "new-strong"}


def test_focus_random_is_a_seeded_shuffle_of_everything(store):
    a = uids(select(QS, store, focus="random", count=6, now=NOW, rng=random.Random(7)))
    b = uids(select(QS, store, focus="random", count=6, now=NOW, rng=random.Random(7)))
    assert a == b and sorted(a) == sorted(s.id for s in QS)


def test_nothing_due_yet_means_due_focus_is_empty(store):
    assert select(QS, store, focus="due", count=5, now=NOW - timedelta(days=4, hours=23)) == []


def test_bad_focus_or_count(store):
    with pytest.raises(InputError, match="focus"):
        select(QS, store, focus="hard", count=3, now=NOW)
    with pytest.raises(InputError, match="count"):
        select(QS, store, count=0, now=NOW)
