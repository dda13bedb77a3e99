"""FSRS settings for interview prep, attempt -> rating, and question selection.

Scheduling itself is py-fsrs (`fsrs` 6.x); nothing here re-implements it. See
docs/scheduling.md for the rules and their reasons.

- `make_scheduler(fuzz=True)`: the one place the `fsrs.Scheduler` is configured:
  no learning or relearning steps (a question is answered once per sitting, not
  re-asked ten minutes later), desired retention 0.9, maximum interval 30 days
  (`DRILL_MAX_INTERVAL_DAYS` overrides it, 1..36500), fuzzing on except in tests.
- `rating_for(attempt) -> int`: 1 Again, 2 Hard, 3 Good, 4 Easy (fsrs.Rating values).
- `review(scheduler, card_json, uid, rating, at, seconds) -> Review`: the card after one
  review (py-fsrs does the work); drill.progress.record writes it.
- `select(summaries, store, *, focus, count, now, rng)`: what a session asks next.
"""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from datetime import datetime
from hashlib import sha1
from typing import TYPE_CHECKING, Any, cast

from drill.errors import InputError

if TYPE_CHECKING:
    from drill.packs.catalog import Summary
    from drill.progress.store import Attempt, Review, Store

DESIRED_RETENTION = 0.9
DEFAULT_MAX_INTERVAL_DAYS = 30
MAX_INTERVAL_ENV = "DRILL_MAX_INTERVAL_DAYS"

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}

FOCUSES = ("due", "weak", "new", "random")


def max_interval_days() -> int:
    raw = os.environ.get(MAX_INTERVAL_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_INTERVAL_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if not 1 <= days <= 36500:
        raise InputError(f"{MAX_INTERVAL_ENV} must be a whole number of days from 1 to 36500, not '{raw}'")
    return days


def make_scheduler(*, fuzz: bool = True) -> Any:
    from fsrs import Scheduler

    return Scheduler(
        desired_retention=DESIRED_RETENTION,
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=max_interval_days(),
        enable_fuzzing=fuzz,
    )


def card_id(uid: str) -> int:
    # fsrs defaults card ids to the clock (and sleeps 1 ms); a stable hash of the uid
    # keeps ids identical across exports and replays.
    return int.from_bytes(sha1(uid.encode()).digest()[:6], "big")


def fsrs_card(card_json: str) -> Any:
    from fsrs import Card

    return Card.from_json(card_json)


def review(sched: Any, card_json: str | None, uid: str, rating: int, at: datetime,
           seconds: float) -> Review:
    """The question's card after one review at `at` (a new card if it has none yet)."""
    from fsrs import Card, Rating, State

    from drill.progress.store import Review

    card = Card.from_json(card_json) if card_json else Card(card_id=card_id(uid), due=at)
    lapse = card.state == State.Review and rating == Rating.Again
    card, log = sched.review_card(card, Rating(rating), review_datetime=at,
                                  review_duration=round(seconds * 1000))
    return Review(rating=rating, card_json=card.to_json(), due=card.due, state=int(card.state),
                  lapse=lapse, duration_ms=log.review_duration, log_json=log.to_json())


def missed_must(rubric: Sequence[dict] | None) -> bool:
    """Whether a rubric mark list has a `must` point that was not hit."""
    return any(m.get("must") and not m.get("hit") for m in rubric or ())


JUDGED_KINDS = ("code", "sql")


def rating_for(a: Attempt) -> int:
    """The FSRS rating an attempt earns (see docs/scheduling.md, "Rating an attempt").

    Start from the score (Again below 0.5 or with a missed must point, Hard below 0.75,
    Good, and Easy for a full, timed score); then each hint and each failed submission
    before the pass costs one step, a judged answer that never passed is at most Hard,
    and going over the budget costs one more step.
    """
    if a.skipped or a.score < 0.5 or missed_must(a.rubric):
        return AGAIN
    if a.score < 0.75:
        rating = HARD
    elif a.score >= 1.0 and a.budget_seconds:
        # Easy needs a clock: an untimed `drill check` pass proves the answer, not the pace.
        rating = EASY
    else:
        rating = GOOD
    passed = a.verdict == "passed" if a.kind in JUDGED_KINDS else a.score >= 0.75
    rating -= a.hints_used
    if passed:
        rating -= max(0, a.submissions - 1)  # the failed submissions before the pass
    else:
        rating = min(rating, HARD)  # never passed: not Good, however close
    # Attempt.__post_init__ fills in seconds, so it is a float here.
    if a.budget_seconds and cast(float, a.seconds) > a.budget_seconds:
        rating -= 1  # over time: an interviewer would have cut the answer short
    return max(rating, AGAIN)


def select(
    summaries: Sequence[Summary],
    store: Store,
    *,
    focus: str | None = None,
    count: int,
    now: datetime,
    rng: random.Random | None = None,
) -> list[Summary]:
    """Choose up to `count` questions from `summaries` for a session.

    Default order: due questions (lowest retrievability first), then unseen
    questions carrying a weak tag (a tag below the candidate's overall mean,
    weakest first), then the other unseen ones, then seen questions that are not
    yet due (soonest first), so a session is never short while questions remain.
    focus="due": due ones only. "new": unseen ones only (weak tags first).
    "weak": every question ordered by its weakest tag's strength (tags never
    practised count at the overall mean), due before not due. "random": a
    shuffle; the caller records such cram attempts with `reschedule=False`.
    """
    if focus is not None and focus not in FOCUSES:
        raise InputError(f"focus must be one of {', '.join(FOCUSES)}, not '{focus}'")
    if count < 1:
        raise InputError(f"count must be at least 1, not {count}")
    rng = rng or random.Random()
    pool = list(summaries)
    rng.shuffle(pool)  # ties then break at random, since every sort below is stable
    if focus == "random":
        return pool[:count]

    from drill.progress import weakness

    cards = store.cards([s.uid for s in pool])
    seen = store.seen_uids()
    mu0 = weakness.overall_mean(store, now)
    tags = weakness.tag_strengths(store, now, mu0=mu0)
    strength = {t.key: t.score for t in tags}

    def weakest(s: Summary) -> float:
        return min((strength.get(t, mu0) for t in s.tags), default=mu0)

    due = [s for s in pool if s.uid in cards and cards[s.uid].due <= now]
    if due:
        sched = make_scheduler(fuzz=False)
        retr = {s.uid: sched.get_card_retrievability(fsrs_card(cards[s.uid].card_json), now) for s in due}
        due.sort(key=lambda s: retr[s.uid])
    due_ids = {s.uid for s in due}
    unseen = [s for s in pool if s.uid not in seen and s.uid not in cards]
    weak_unseen = sorted((s for s in unseen if weakest(s) < mu0), key=weakest)
    weak_ids = {s.uid for s in weak_unseen}
    other_unseen = [s for s in unseen if s.uid not in weak_ids]

    if focus == "due":
        order = due
    elif focus == "new":
        order = weak_unseen + other_unseen
    elif focus == "weak":
        order = sorted(pool, key=lambda s: (weakest(s), s.uid not in due_ids))
    else:
        unseen_ids = {s.uid for s in unseen}
        rest = [s for s in pool if s.uid not in due_ids and s.uid not in unseen_ids]
        far = now.replace(year=9999)
        rest.sort(key=lambda s: cards[s.uid].due if s.uid in cards else far)
        order = due + weak_unseen + other_unseen + rest
    return order[:count]
