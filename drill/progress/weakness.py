"""Strength per tag and per round: a recency-weighted Beta posterior of scores.

Each attempt (score s in 0..1, `age_days` old) weighs w = 0.5 ** (age_days / 14).
The prior mean mu0 is the candidate's own weighted mean over all attempts, worth
k = 3 attempts, so one bad attempt marks a tag weak without dominating it:

    alpha = k*mu0 + sum(w*s)        beta = k*(1 - mu0) + sum(w*(1 - s))
    strength = alpha / (alpha + beta)
    sd = sqrt(alpha*beta / ((alpha + beta)**2 * (alpha + beta + 1)))

The weighted sums are aggregated in SQL by the store (`Store.weighted_sums`);
this module only turns them into `Strength`s.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from drill.constants import HALF_LIFE_DAYS

if TYPE_CHECKING:
    from drill.progress.store import Store

PRIOR_ATTEMPTS = 3.0
NEUTRAL_MEAN = 0.5  # the prior mean before the candidate has any history


@dataclass(frozen=True)
class Strength:
    key: str  # a tag or a round
    score: float  # posterior mean, 0..1
    sd: float  # posterior standard deviation: the uncertainty
    attempts: int

    def to_json(self) -> dict:
        return {"score": round(self.score, 4), "sd": round(self.sd, 4), "attempts": self.attempts}


def weight(age_days: float) -> float:
    return 0.5 ** (max(age_days, 0.0) / HALF_LIFE_DAYS)


def prior_mean(sum_w: float, sum_ws: float) -> float:
    return sum_ws / sum_w if sum_w > 0 else NEUTRAL_MEAN


def posterior(sum_w: float, sum_ws: float, mu0: float, k: float = PRIOR_ATTEMPTS) -> tuple[float, float]:
    """(mean, sd) of the Beta posterior for weighted score sums `sum_w`, `sum_ws`."""
    alpha = k * mu0 + sum_ws
    beta = k * (1.0 - mu0) + (sum_w - sum_ws)
    n = alpha + beta
    return alpha / n, math.sqrt(alpha * beta / (n * n * (n + 1.0)))


def rank(rows: Iterable[tuple[str, int, float, float]], mu0: float) -> list[Strength]:
    """Strengths from (key, attempts, sum_w, sum_ws) rows, weakest first."""
    out = []
    for key, n, sum_w, sum_ws in rows:
        mean, sd = posterior(sum_w, sum_ws, mu0)
        out.append(Strength(key, mean, sd, n))
    out.sort(key=lambda s: (s.score, -s.attempts, s.key))
    return out


def overall_mean(store: Store, now: datetime, *, since: datetime | None = None) -> float:
    _n, sum_w, sum_ws = store.weighted_total(now, since=since)
    return prior_mean(sum_w, sum_ws)


def tag_strengths(store: Store, now: datetime, *, round: str | None = None,
                  since: datetime | None = None, mu0: float | None = None) -> list[Strength]:
    """Weakest first. `mu0` (the prior) defaults to `overall_mean`; pass it to save a query."""
    mu0 = overall_mean(store, now, since=since) if mu0 is None else mu0
    return rank(store.weighted_sums("tag", now, round=round, since=since), mu0)


def round_strengths(store: Store, now: datetime, *, since: datetime | None = None,
                    mu0: float | None = None) -> list[Strength]:
    mu0 = overall_mean(store, now, since=since) if mu0 is None else mu0
    return rank(store.weighted_sums("round", now, since=since), mu0)
