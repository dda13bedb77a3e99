"""A day-by-day plan until the interview that fits the hours per day.

`build(questions, store, interview, now=..., loop=..., mock_count=...) -> Plan` lays out
every day from today to the day before the interview (docs/scheduling.md, "The plan"):

1. Waves. The days are split 3 : 3 : 1 into foundations (coding, SQL and the screen),
   depth (ML rounds, system design, stats and any custom round) and the final stretch
   (behavioural stories and the take-home): the final wave is a seventh of the plan
   (two days at least from four days on, a week at most), the rest split evenly; a
   7-week plan gets three weeks, three weeks and the final week.
2. First touches. Every planned round not yet practised gets its shortest unseen
   question on a day of its wave (at most `FIRST_TOUCHES_PER_DAY` a day), placed before
   anything else, so that every round of the loop is reached. One that does not fit
   waits for the next day; one longer than a whole day (a take-home) takes a day that
   has nothing else yet, and that day goes over its hours.
3. Mock loops (`drill start --round mixed`) in the last week, on the days 2, 4 and 6
   before the interview: as many questions of the loop as fit (`mock_count` at most).
4. Reviews: the questions due that day (`schedule.effective_due`), lowest predicted
   recall first (recall on the interview day in the final window), up to
   `REVIEW_SHARE` of the day (`REVIEW_SHARE_FINAL` in the final window).
5. New questions in the rest of the time, one at a time to the open round (its wave has
   begun; the next wave's open early when no open round has a question that fits) with
   the greatest need: need = coverage + strength (+ 0.5 outside the current
   wave, + 0.15 per question it already got that day), lowest first; in a round, questions
   with a weak tag first, then easy before hard.
6. Time still left goes to the reviews that did not fit their share; the rest stay due.

Each planned answer is assumed Good and goes through py-fsrs (fuzzing off), so questions
learned during the plan come back as reviews on later days. The plan is recomputed from
the store every time it is shown: doing more, less or worse than planned moves it.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from drill.progress.interview import local_day, local_midnight

if TYPE_CHECKING:
    from drill.packs.catalog import Summary
    from drill.progress.interview import Interview
    from drill.progress.store import Store

WAVES = ("foundations", "depth", "final")
WAVE_NAMES = {"foundations": "coding and SQL", "depth": "ML and system-design depth",
              "final": "behavioural stories, take-home and mock loops"}
WAVE_OF = {"coding": 0, "sql": 0, "screen": 0, "behavioral": 2, "take-home": 2}
DEFAULT_WAVE = 1  # every other round, custom ones too: the depth wave
REVIEW_SHARE = 0.6  # of a day's time for reviews before new questions
REVIEW_SHARE_FINAL = 0.8  # the same in the final window
FIRST_TOUCHES_PER_DAY = 3
MOCK_DAYS_BEFORE = (2, 4, 6)  # days before the interview with a mock loop
MOCK_MIN_QUESTIONS = 2
SAME_DAY_PENALTY = 0.15
OTHER_WAVE_PENALTY = 0.5
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}
DAY_TIME = timedelta(hours=12)  # planned work on a future day is simulated at local noon


@dataclass
class Task:
    kind: str  # review / new / mock
    round: str | None  # None for a mock loop
    count: int
    minutes: float

    @property
    def command(self) -> str:
        if self.kind == "mock":
            return f"drill start --round mixed --count {self.count}"
        focus = "due" if self.kind == "review" else "new"
        return f"drill start --round {shlex.quote(self.round or '')} --focus {focus} --count {self.count}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "round": self.round, "count": self.count,
                "minutes": round(self.minutes, 1), "command": self.command}


@dataclass
class Day:
    day: date
    wave: str
    budget: float  # minutes available
    final: bool  # in the final window (recall on the interview day decides reviews)
    tasks: list[Task] = field(default_factory=list)
    reviews_left: int = 0  # due that day but beyond its time: they stay due

    @property
    def minutes(self) -> float:
        return sum(t.minutes for t in self.tasks)

    def add(self, kind: str, round: str | None, minutes: float) -> None:
        for t in self.tasks:
            if t.kind == kind and t.round == round and kind != "mock":
                t.count += 1
                t.minutes += minutes
                return
        self.tasks.append(Task(kind, round, 1, minutes))

    def to_json(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "wave": self.wave, "final_window": self.final,
                "budget_minutes": round(self.budget, 1), "planned_minutes": round(self.minutes, 1),
                "reviews_left": self.reviews_left, "tasks": [t.to_json() for t in self.tasks]}


@dataclass
class Plan:
    interview: Interview
    today: date
    rounds: list[str]
    days: list[Day]
    unreached: list[str]  # planned rounds the plan could not fit (too little time)

    def to_json(self) -> dict[str, Any]:
        return {"rounds": self.rounds, "days": [d.to_json() for d in self.days],
                "unreached_rounds": self.unreached,
                "assumes": "every planned answer rated Good; recomputed from your history each time"}


def wave_of(round: str) -> int:
    return WAVE_OF.get(round, DEFAULT_WAVE)


def wave_bounds(n: int) -> tuple[int, int]:
    """Day indices where the depth and the final waves begin, for a plan of `n` days: the
    final wave is a seventh of the plan (two days at least from four days on, a week at
    most), the days before it split evenly between foundations and depth."""
    final = min(max(math.floor(n / 7 + 0.5), 2 if n >= 4 else 1), 7) if n >= 2 else 0
    rest = n - final
    return math.floor(rest / 2 + 0.5), rest


def rounds_in_order(questions: Sequence[Summary], loop: Sequence[str],
                    only: Sequence[str] = ()) -> list[str]:
    """The planned rounds: `only` if given, else every round with a question, loop order first."""
    present = list(dict.fromkeys(s.round for s in questions))
    if only:
        return [r for r in only if r in present]
    return [r for r in loop if r in present] + sorted(r for r in present if r not in loop)


class _Sim:
    """The simulated memory state: one py-fsrs card per question, reviewed Good as planned."""

    def __init__(self, store: Store, uids: set[str], iv: Interview, now: datetime) -> None:
        from fsrs import Card, Rating

        from drill.progress.schedule import make_scheduler

        self.iv, self.now = iv, now
        self.sched = make_scheduler(fuzz=False)
        self.good = Rating.Good
        self.new_card = Card
        self.cards: dict[str, Any] = {uid: Card.from_json(c.card_json)
                                      for uid, c in store.cards(sorted(uids)).items()}

    def due_by(self, end: datetime, now: datetime) -> list[str]:
        from drill.progress.schedule import effective_due

        return [uid for uid, c in self.cards.items()
                if effective_due(c.due, c.last_review, self.iv, now) < end]

    def recall(self, uid: str, at: datetime) -> float:
        return float(self.sched.get_card_retrievability(self.cards[uid], at))

    def answer(self, uid: str, at: datetime) -> None:
        from drill.progress.schedule import card_id

        card = self.cards.get(uid) or self.new_card(card_id=card_id(uid), due=at)
        self.cards[uid], _log = self.sched.review_card(card, self.good, review_datetime=at)


def build(questions: Sequence[Summary], store: Store, iv: Interview, *, now: datetime | None = None,
          loop: Sequence[str] = (), mock_count: int = 4, done_today_minutes: float = 0.0,
          limit: int | None = None) -> Plan:
    """The plan from today (local) to the day before `iv`; `limit` days at most (the
    dashboard asks for today only). `done_today_minutes` is practice already done today."""
    from drill.progress import weakness

    now = now or datetime.now(UTC)
    today = local_day(now, iv.tz)
    n = max(iv.days_left(today), 0)
    pool = [s for s in questions if s.available]
    rounds = rounds_in_order(pool, loop, iv.rounds)
    pool = [s for s in pool if s.round in rounds]
    by_uid = {s.uid: s for s in pool}
    seen = store.seen_uids() & set(by_uid)
    sim = _Sim(store, set(by_uid), iv, now)
    mu0 = weakness.overall_mean(store, now)
    tag_strength = {t.key: t.score for t in weakness.tag_strengths(store, now, mu0=mu0)}
    round_strength = {t.key: t.score for t in weakness.round_strengths(store, now, mu0=mu0)}

    def weakest_tag(s: Summary) -> float:
        return min((tag_strength.get(t, mu0) for t in s.tags), default=mu0)

    unseen: dict[str, list[Summary]] = {r: [] for r in rounds}
    for s in sorted(pool, key=lambda s: (weakest_tag(s) >= mu0, DIFFICULTY_ORDER.get(s.difficulty, 1))):
        if s.uid not in seen and s.uid not in sim.cards:
            unseen[s.round].append(s)
    total = {r: sum(1 for s in pool if s.round == r) for r in rounds}
    covered = {r: sum(1 for u in seen if by_uid[u].round == r) for r in rounds}
    touch_day = _first_touches(rounds, covered, n)
    mock_rounds = [r for r in loop if r in total][:mock_count]
    mock_minutes = [_median([s.minutes for s in pool if s.round == r]) for r in mock_rounds]
    b1, b2 = wave_bounds(n)
    interview_at = iv.starts()
    days: list[Day] = []

    for i in range(n if limit is None else min(n, limit)):
        d = today + timedelta(days=i)
        start, end = local_midnight(d, iv.tz), local_midnight(d + timedelta(days=1), iv.tz)
        at = now if i == 0 else start + DAY_TIME
        wave = 0 if i < b1 else 1 if i < b2 else 2
        final = start >= iv.window_start()
        budget = iv.hours_per_day * 60 - (done_today_minutes if i == 0 else 0.0)
        day = Day(d, WAVES[wave], max(budget, 0.0), final)
        left = day.budget

        # 2. first touches: the shortest unseen question of each round due a first look
        # (longest first: a question longer than the day gets a day to itself)
        for r in sorted((r for r in rounds if touch_day.get(r, n) <= i and not covered[r] and unseen[r]),
                        key=lambda r: (touch_day[r], -min(s.minutes for s in unseen[r]))):
            q = min(unseen[r], key=lambda s: s.minutes)
            if q.minutes > left and day.tasks:
                continue  # it waits for the next day, where it comes first
            unseen[r].remove(q)
            covered[r] += 1
            sim.answer(q.uid, at)
            day.add("new", r, q.minutes)
            left -= q.minutes

        # 3. a mock loop on the set days of the last week
        if (n - i) in MOCK_DAYS_BEFORE and mock_rounds:
            k, spent = 0, 0.0
            while k < len(mock_rounds) and spent + mock_minutes[k] <= left:
                spent += mock_minutes[k]
                k += 1
            if k >= min(MOCK_MIN_QUESTIONS, len(mock_rounds)):
                day.tasks.append(Task("mock", None, k, spent))
                left -= spent

        # 4. reviews, lowest predicted recall first, up to their share of the day
        due = [u for u in sim.due_by(end, at) if u in by_uid]
        recall_time = interview_at if final else at
        due.sort(key=lambda u: sim.recall(u, recall_time))
        cap = min(left, day.budget * (REVIEW_SHARE_FINAL if final else REVIEW_SHARE))
        waiting = []
        for u in due:
            m = by_uid[u].minutes
            if m > cap:
                waiting.append(u)
                continue
            cap -= m
            left -= m
            sim.answer(u, at)
            day.add("review", by_uid[u].round, m)

        # 5. new questions by need
        given: dict[str, int] = {}
        while True:
            # The open rounds first; when none has a question that fits, the next wave's
            # rounds open early rather than leave the time unused.
            fits: list[str] = []
            for w in range(wave, len(WAVES)):
                fits = [r for r in rounds if wave_of(r) <= w and any(s.minutes <= left for s in unseen[r])]
                if fits:
                    break
            if not fits:
                break

            def need(r: str, wave: int = wave, given: dict[str, int] = given) -> float:
                return (covered[r] / max(total[r], 1) + round_strength.get(r, mu0)
                        + (OTHER_WAVE_PENALTY if wave_of(r) != wave else 0.0)
                        + SAME_DAY_PENALTY * given.get(r, 0))

            r = min(fits, key=need)
            q = next(s for s in unseen[r] if s.minutes <= left)
            unseen[r].remove(q)
            covered[r] += 1
            given[r] = given.get(r, 0) + 1
            sim.answer(q.uid, at)
            day.add("new", r, q.minutes)
            left -= q.minutes
        # 6. time still left goes to the reviews that waited
        for u in waiting:
            m = by_uid[u].minutes
            if m <= left:
                left -= m
                sim.answer(u, at)
                day.add("review", by_uid[u].round, m)
            else:
                day.reviews_left += 1
        day.tasks.sort(key=lambda t: ("mock", "review", "new").index(t.kind))
        days.append(day)

    unreached = [r for r in rounds if not covered[r]] if limit is None else []
    return Plan(iv, today, rounds, days, unreached)


def _first_touches(rounds: Sequence[str], covered: dict[str, int], n: int) -> dict[str, int]:
    """Round -> the day index of its first question, for each round not yet practised:
    early in its wave, `FIRST_TOUCHES_PER_DAY` a day, never past the last day. One that
    does not fit its day moves to the next."""
    b1, b2 = wave_bounds(n)
    starts = (0, b1, b2)
    out: dict[str, int] = {}
    for w in range(len(WAVES)):
        todo = [r for r in rounds if wave_of(r) == w and not covered[r]]
        for j, r in enumerate(todo):
            out[r] = max(min(starts[w] + j // FIRST_TOUCHES_PER_DAY, n - 1), 0)
    return out


def _median(xs: Sequence[float]) -> float:
    import statistics

    return float(statistics.median(xs)) if xs else 0.0

