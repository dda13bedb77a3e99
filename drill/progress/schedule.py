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
- `effective_due(due, last_review, interview, now)`: when a question counts as due once an
  interview date is set (capped at the interview; pulled into the final window). Applied
  when choosing, never written: the card JSON and its `due` column stay py-fsrs's.
- `due_uids(store, now)`: the questions due now under the same rule (e.g. a round picker's counts).
- `recall_at(sched, card_json, at)`: FSRS retrievability of a card at a moment.
- `select(summaries, store, *, focus, count, now, rng, interview)`: what a session asks next.
"""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from drill.errors import InputError

if TYPE_CHECKING:
    from drill.packs.catalog import Summary
    from drill.progress.interview import Interview
    from drill.progress.store import Attempt, CardInfo, Review, Store

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
    # keeps ids identical across exports and replays. CPython's own SHA-1 module: hashlib
    # would load OpenSSL (some 2 ms) for one short digest.
    try:
        from _sha1 import sha1
    except ImportError:  # another Python
        from hashlib import sha1

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


def effective_due(due: datetime, last_review: datetime | None, interview: Interview | None,
                  now: datetime) -> datetime:
    """When a card counts as due, given the interview (docs/scheduling.md, "With an
    interview date"). Before the interview day:

    - no review falls after the interview: due = min(FSRS due, interview start);
    - a card last reviewed before the final window whose due falls inside it is due
      when the window opens, so its last review before the interview can come early,
      lowest predicted recall on the day first (see `select`).

    From the interview day on (or with no date) it is FSRS's due, unchanged.
    """
    if interview is None or not interview.active(now):
        return due
    start, window = interview.starts(), interview.window_start()
    capped = min(due, start)
    if window <= capped < start and (last_review is None or last_review < window):
        return window
    return capped


def due_uids(store: Store, now: datetime, interview: Interview | bool | None = True) -> set[str]:
    """Questions due at `now` (`effective_due`; `interview` as in `select`)."""
    iv = _interview(store, interview)
    return {c.uid for c in store.cards().values()
            if effective_due(c.due, c.last_review, iv, now) <= now}


def _interview(store: Store, interview: Interview | bool | None) -> Interview | None:
    if interview is True:
        from drill.progress.interview import load

        return load(store)
    return interview or None


def recall_at(sched: Any, card_json: str, at: datetime) -> float:
    """FSRS retrievability (predicted recall, 0..1) of a stored card at `at`."""
    return float(sched.get_card_retrievability(fsrs_card(card_json), at))


def missed_must(rubric: Sequence[dict] | None) -> bool:
    """Whether a rubric mark list has a `must` point that was not hit."""
    return any(m.get("must") and not m.get("hit") for m in rubric or ())


JUDGED_KINDS = ("code", "sql")


def rating_for(a: Attempt) -> int:
    """The FSRS rating an attempt earns (see docs/scheduling.md, "Rating an attempt").

    Start from the score (Again below 0.5 or with a missed must point in any part, Hard
    below 0.75, Good, and Easy for a full, timed score); then each hint and each failed
    submission before the pass (of any part) costs one step, a judged answer that never passed is at most Hard,
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
        # The failed submissions before the pass: a question with code parts needs one
        # passing submission per part (its cases carry a "part" key).
        parts = len({c.get("part", 0) for c in a.cases or () if isinstance(c, dict)}) or 1
        rating -= max(0, a.submissions - parts)
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
    interview: Interview | bool | None = True,
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

    With an interview date (`interview`: True reads it from the store, None or False
    ignores it, or pass one), "due" is `effective_due`; in the final window due
    questions come lowest predicted recall at the interview first, and seen questions
    not due come by that recall too instead of by due date.
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

    iv = _interview(store, interview)
    final = iv is not None and iv.window_start() <= now < iv.starts()
    cards = store.cards([s.uid for s in pool])
    seen = store.seen_uids()
    mu0 = weakness.overall_mean(store, now)
    tags = weakness.tag_strengths(store, now, mu0=mu0)
    strength = {t.key: t.score for t in tags}

    def weakest(s: Summary) -> float:
        return min((strength.get(t, mu0) for t in s.tags), default=mu0)

    def due_at(c: CardInfo) -> datetime:
        return effective_due(c.due, c.last_review, iv, now)

    due = [s for s in pool if s.uid in cards and due_at(cards[s.uid]) <= now]
    # In the final window what matters is recall on the interview day, not today.
    recall_time = iv.starts() if final and iv is not None else now
    sched = make_scheduler(fuzz=False) if due or final else None
    if due:
        retr = {s.uid: recall_at(sched, cards[s.uid].card_json, recall_time) for s in due}
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
        if final:
            later = {s.uid: recall_at(sched, cards[s.uid].card_json, recall_time)
                     for s in rest if s.uid in cards}
            rest.sort(key=lambda s: later.get(s.uid, 2.0))
        else:
            far = now.replace(year=9999)
            rest.sort(key=lambda s: due_at(cards[s.uid]) if s.uid in cards else far)
        order = due + weak_unseen + other_unseen + rest
    return order[:count]
