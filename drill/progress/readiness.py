"""Readiness per round for the interview: coverage, predicted recall on the day, recent score.

For each round (docs/scheduling.md, "Readiness"):

    coverage = questions seen / questions in the round
    recall   = mean FSRS retrievability at the interview (now, without a date) over the
               round's questions that have a card (seen outside cram practice)
    score    = the recency-weighted Beta posterior of the round's scores
               (drill.progress.weakness), with its sd and the interval mean ± 2 sd in 0..1

A round is "ready" when coverage >= 0.6, recall >= 0.85 and score >= 0.75; "close" at
0.3 / 0.7 / 0.6; "not started" without an attempt; "not ready" otherwise. The verdict
names how many rounds are ready and the ones furthest behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drill.packs.catalog import Summary
    from drill.progress.store import Store

READY = {"coverage": 0.6, "recall": 0.85, "score": 0.75}
CLOSE = {"coverage": 0.3, "recall": 0.7, "score": 0.6}
INTERVAL_SDS = 2.0
BEHIND_SHOWN = 3


@dataclass(frozen=True)
class RoundReadiness:
    round: str
    questions: int
    seen: int
    cards: int  # seen questions with an FSRS card: what recall is predicted over
    recall: float | None  # mean retrievability at the moment assessed; None without cards
    score: float | None  # posterior mean; None without attempts
    sd: float | None
    attempts: int
    status: str  # ready / close / not ready / not started
    reason: str  # what keeps it from "ready" ("" when ready)
    gap: float  # how far from "ready", summed over the three measures (0 when ready)

    @property
    def coverage(self) -> float:
        return self.seen / self.questions if self.questions else 0.0

    @property
    def interval(self) -> tuple[float, float] | None:
        if self.score is None or self.sd is None:
            return None
        return (max(0.0, self.score - INTERVAL_SDS * self.sd), min(1.0, self.score + INTERVAL_SDS * self.sd))

    def to_json(self) -> dict[str, Any]:
        iv = self.interval
        return {
            "round": self.round, "questions": self.questions, "seen": self.seen,
            "coverage": _r(self.coverage), "cards": self.cards,
            "recall": None if self.recall is None else _r(self.recall),
            "score": None if self.score is None else {
                "mean": _r(self.score), "sd": _r(self.sd or 0.0), "low": _r(iv[0]) if iv else None,
                "high": _r(iv[1]) if iv else None, "attempts": self.attempts},
            "status": self.status, "reason": self.reason, "short_of": self.short_of,
        }

    @property
    def short_of(self) -> list[str]:
        """The measures below the "ready" bar."""
        if self.status == "not started":
            return list(READY)
        values = {"coverage": self.coverage, "recall": self.recall or 0.0, "score": self.score or 0.0}
        return [k for k, v in values.items() if v < READY[k]]


@dataclass(frozen=True)
class Readiness:
    at: datetime  # the moment recall is predicted for (the interview, or now)
    rounds: list[RoundReadiness]
    verdict: str

    @property
    def ready(self) -> int:
        return sum(1 for r in self.rounds if r.status == "ready")

    def to_json(self) -> dict[str, Any]:
        from drill.progress.store import ts

        return {"at": ts(self.at), "verdict": self.verdict, "ready_rounds": self.ready,
                "total_rounds": len(self.rounds), "rounds": [r.to_json() for r in self.rounds],
                "thresholds": {"ready": READY, "close": CLOSE}}


def _r(x: float) -> float:
    return round(x, 4)


def status_of(coverage: float, recall: float | None, score: float | None,
              attempts: int) -> tuple[str, float]:
    """(status, gap) for one round's measures; the gap sums each measure's shortfall
    from the "ready" bar, relative to the bar (3 for a round not started)."""
    if attempts == 0:
        return "not started", 3.0
    measures = {"coverage": coverage, "recall": recall or 0.0, "score": score or 0.0}
    gap = sum(max(0.0, READY[k] - v) / READY[k] for k, v in measures.items())
    if gap == 0.0:
        return "ready", 0.0
    status = "close" if all(v >= CLOSE[k] for k, v in measures.items()) else "not ready"
    return status, gap


def _reason(r: RoundReadiness) -> str:
    if r.status == "not started":
        return "not started"
    parts = []
    if r.coverage < READY["coverage"]:
        parts.append(f"{r.seen}/{r.questions} seen")
    if (r.recall or 0.0) < READY["recall"]:
        parts.append("no reviews yet" if r.recall is None else f"recall {r.recall:.2f}")
    if (r.score or 0.0) < READY["score"]:
        parts.append(f"score {r.score or 0.0:.2f} ±{r.sd or 0.0:.2f}")
    return ", ".join(parts)


def assess(questions: Sequence[Summary], store: Store, *, now: datetime, at: datetime,
           rounds: Sequence[str], days_left: int | None = None) -> Readiness:
    """Readiness of each of `rounds` (in that order) for a candidate assessed at `now`,
    predicting recall at `at`."""
    from drill.progress import weakness
    from drill.progress.schedule import make_scheduler, recall_at

    by_round: dict[str, list[str]] = {r: [] for r in rounds}
    for s in questions:
        if s.round in by_round:
            by_round[s.round].append(s.uid)
    wanted = {u for uids in by_round.values() for u in uids}
    seen = store.seen_uids() & wanted
    cards = store.cards(sorted(wanted))
    sched = make_scheduler(fuzz=False) if cards else None
    recall = {uid: recall_at(sched, c.card_json, at) for uid, c in cards.items()}
    strengths = {s.key: s for s in weakness.round_strengths(store, now)}

    out = []
    for r in rounds:
        uids = by_round[r]
        rs = [recall[u] for u in uids if u in recall]
        st = strengths.get(r)
        n_seen = sum(1 for u in uids if u in seen)
        rec = sum(rs) / len(rs) if rs else None
        cov = n_seen / len(uids) if uids else 0.0
        status, gap = status_of(cov, rec, st.score if st else None, st.attempts if st else 0)
        row = RoundReadiness(r, len(uids), n_seen, len(rs), rec, st.score if st else None,
                             st.sd if st else None, st.attempts if st else 0, status, "", gap)
        out.append(replace(row, reason=_reason(row)))
    return Readiness(at, out, verdict(out, days_left))


def verdict(rows: Sequence[RoundReadiness], days_left: int | None) -> str:
    """The whole picture in one or two sentences."""
    if not rows:
        return "No rounds to assess: add questions (drill packs list)."
    n = len(rows)
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("ready", "close", "not ready", "not started")}
    when = f" with {days_left} day{'s' if days_left != 1 else ''} left" if days_left is not None else ""
    if counts["ready"] == n:
        return f"Ready{when}: every round meets the bar; keep reviewing what is due."
    parts = [f"{counts['ready']} of {n} rounds ready"]
    parts += [f"{counts[s]} {s}" for s in ("close", "not ready", "not started") if counts[s]]
    behind = sorted((r for r in rows if r.status != "ready"), key=lambda r: -r.gap)[:BEHIND_SHOWN]
    worst = "; ".join(f"{r.round} ({r.reason})" for r in behind)
    head = "Close" if counts["not ready"] + counts["not started"] == 0 else "Not ready yet"
    tail = " Follow the plan." if days_left is not None else ""
    return f"{head}{when}: {', '.join(parts)}. Furthest behind: {worst}.{tail}"


def recall_curve(store: Store, rounds: Mapping[str, Sequence[str]],
                 times: Sequence[datetime]) -> dict[str, Any]:
    """Mean predicted recall (FSRS retrievability) at each of `times`, over every question
    with a card, and per round: {"overall": [...], "rounds": {round: [...]}, "cards": n}.
    A question not reviewed again keeps decaying: this is what the day looks like if
    nothing more is done."""
    from fsrs import Card

    from drill.progress.schedule import make_scheduler

    owner = {u: r for r, uids in rounds.items() for u in uids}
    stored = store.cards(sorted(owner))
    sched = make_scheduler(fuzz=False)
    cards = [(owner[u], Card.from_json(c.card_json)) for u, c in stored.items()]
    overall: list[float | None] = []
    per: dict[str, list[float | None]] = {r: [] for r in rounds}
    for t in times:
        sums: dict[str, list[float]] = {}
        for r, card in cards:
            acc = sums.setdefault(r, [0.0, 0.0])
            acc[0] += sched.get_card_retrievability(card, t)
            acc[1] += 1
        total = sum(a[0] for a in sums.values())
        overall.append(total / len(cards) if cards else None)
        for r in rounds:
            a = sums.get(r)
            per[r].append(a[0] / a[1] if a else None)
    return {"overall": overall, "rounds": per, "cards": len(cards)}
