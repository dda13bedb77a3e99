"""Weak areas: the recency-weighted Beta posterior, checked against numbers worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from drill.progress import weakness
from drill.progress.record import record_attempt
from drill.progress.store import Attempt, open_store

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def attempt(score: float, age_days: float, tags: tuple[str, ...], round: str = "mlops") -> Attempt:
    at = NOW - timedelta(days=age_days)
    return Attempt(uid=f"p/{'-'.join(tags)}", pack="p", round=round, kind="open", difficulty="easy",
                   tags=tags, started_at=at - timedelta(minutes=5), ended_at=at, score=score,
                   verdict="graded")


def test_weights_halve_every_fourteen_days():
    assert weakness.weight(0) == 1.0
    assert weakness.weight(14) == 0.5
    assert weakness.weight(28) == 0.25
    assert weakness.weight(-3) == 1.0  # a clock skewed into the future never counts double


@pytest.fixture
def store():
    # Worked by hand: weights 1, 0.5, 0.25.
    # Overall: sum w = 1.75, sum w*s = 1 + 0 + 0.125 = 1.125, mu0 = 1.125/1.75 = 0.642857.
    # tag a: alpha = 3*0.642857 + 1.0 = 2.928571, beta = 3*0.357143 + 0.5 = 1.571429 (n = 4.5)
    #        mean = 0.650794, sd = sqrt(a*b / (n^2 (n+1))) = sqrt(4.602041 / 111.375) = 0.203274
    # tag b: alpha = 1.928571 + 0.125 = 2.053571, beta = 1.071429 + 0.125 = 1.196429 (n = 3.25)
    #        mean = 0.631868, sd = sqrt(2.456952 / 44.890625) = 0.233949
    with open_store(":memory:", fuzz=False) as st:
        record_attempt(st, attempt(1.0, 0, ("a",)))
        record_attempt(st, attempt(0.0, 14, ("a",)))
        record_attempt(st, attempt(0.5, 28, ("b",)))
        yield st


def test_prior_mean_is_the_weighted_overall_mean(store):
    assert weakness.overall_mean(store, NOW) == pytest.approx(0.642857, abs=1e-6)


def test_tag_strengths_match_hand_computed_values(store):
    b, a = weakness.tag_strengths(store, NOW)  # weakest first
    assert (b.key, b.attempts) == ("b", 1)
    assert b.score == pytest.approx(0.631868, abs=1e-6)
    assert b.sd == pytest.approx(0.233949, abs=1e-6)
    assert (a.key, a.attempts) == ("a", 2)
    assert a.score == pytest.approx(0.650794, abs=1e-6)
    assert a.sd == pytest.approx(0.203274, abs=1e-6)


def test_round_strength_of_the_only_round_is_the_prior_mean(store):
    # alpha = 1.928571 + 1.125 = 3.053571, beta = 1.071429 + 0.625 = 1.696429, n = 4.75:
    # mean = 0.642857, sd = sqrt(5.180166 / 129.734375) = 0.199823
    [r] = weakness.round_strengths(store, NOW)
    assert r.key == "mlops" and r.attempts == 3
    assert r.score == pytest.approx(0.642857, abs=1e-6)
    assert r.sd == pytest.approx(0.199823, abs=1e-6)


def test_since_and_round_filters(store):
    record_attempt(store, attempt(0.0, 1, ("a",), round="stats"))
    only_stats = weakness.tag_strengths(store, NOW, round="stats")
    assert [(s.key, s.attempts) for s in only_stats] == [("a", 1)]
    recent = weakness.tag_strengths(store, NOW, since=NOW - timedelta(days=7))
    assert [(s.key, s.attempts) for s in recent] == [("a", 2)]


def test_one_bad_attempt_ranks_a_tag_weak_without_dominating_it():
    with open_store(":memory:", fuzz=False) as st:
        for i in range(6):
            record_attempt(st, attempt(0.9, i, ("solid",)))
        record_attempt(st, attempt(0.0, 0, ("shaky",)))
        shaky, solid = weakness.tag_strengths(st, NOW)
    assert shaky.key == "shaky"
    # With k = 3 prior attempts at the overall mean, one zero leaves it well above zero.
    assert 0.4 < shaky.score < solid.score
    assert shaky.sd > solid.sd


def test_no_history_gives_the_neutral_prior():
    with open_store(":memory:") as st:
        assert weakness.overall_mean(st, NOW) == 0.5
        assert weakness.tag_strengths(st, NOW) == []
