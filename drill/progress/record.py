"""Recording an attempt: rate it, review its FSRS card, and write both at once.

This sits above the store (which only reads and writes rows) and the scheduler (which
only computes): the rating and the next card are computed here from the card read
inside the same write transaction, so two drill processes recording at once each
review the card they see, never the same old state twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from drill.progress import schedule
from drill.progress.store import Attempt, Store

_schedulers: dict[tuple[bool, int], Any] = {}


@dataclass(frozen=True)
class RecordResult:
    attempt_id: int
    rating: str | None  # again / hard / good / easy; None when not rescheduled
    # The question's next due time (UTC): FSRS's, capped by the interview date when one
    # is set (schedule.effective_due); None when not rescheduled.
    due: datetime | None


def scheduler(*, fuzz: bool = True) -> Any:
    """The configured fsrs.Scheduler, built once per process and setting."""
    key = (fuzz, schedule.max_interval_days())
    if key not in _schedulers:
        _schedulers[key] = schedule.make_scheduler(fuzz=fuzz)
    return _schedulers[key]


def record_attempt(store: Store, a: Attempt, *, reschedule: bool = True,
                   now: datetime | None = None) -> RecordResult:
    """Write the attempt and, unless `reschedule` is false or `a.cram`, review the
    question's card (at `now`, default `a.ended_at`) and log the review, in one transaction."""
    if not reschedule or a.cram:
        return RecordResult(store.insert_attempt(a), None, None)
    rating = schedule.rating_for(a)
    sched = scheduler(fuzz=store.fuzz)
    at = (now or a.ended_at).astimezone(UTC)
    with store.transaction() as tx:
        aid = tx.insert_attempt(a)
        review = schedule.review(sched, tx.card_json(a.uid), a.uid, rating, at, a.seconds or 0.0)
        tx.write_review(a.uid, aid, at, review)
    from drill.progress.interview import load

    due = schedule.effective_due(review.due, at, load(store), at)
    return RecordResult(aid, schedule.RATING_NAMES[rating], due)
