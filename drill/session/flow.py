"""Timed sessions, apart from the terminal: planning, judging, recording, resuming.

The terminal side (drill.session.tui) asks the questions; this module decides which ones,
judges and grades what comes back, writes every finished attempt to the store at
once, and keeps the workspace so an interrupted session can resume.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from drill.constants import BUILTIN_ROUNDS
from drill.errors import InputError
from drill.judge.verdict import CheckResult
from drill.packs.catalog import Catalog, Loaded, Summary, install_command
from drill.session.clock import Clock
from drill.session.workspace import SessionState

# A mock loop when the candidate asks for `--round mixed`: one question from each,
# in this order, as far as --count goes.
MIXED_LOOP = ("coding", "system-design", "llm-safety", "ml-modeling", "sql", "behavioral",
              "data-pipelines", "mlops", "deep-learning", "stats")
DEFAULT_COUNT = {"stats": 8, "sql": 3, "mixed": 4}


class QuitSession(Exception):
    """The candidate chose to leave the session (Ctrl-C, then yes)."""


@dataclass
class StartOptions:
    rounds: list[str] = field(default_factory=list)
    count: int | None = None
    minutes: float | None = None
    tag: str | None = None
    difficulty: str | None = None
    focus: str | None = None
    questions: list[str] = field(default_factory=list)
    editor: bool = False
    strict: bool = False
    packs: list[Path] = field(default_factory=list)


@dataclass
class Outcome:
    """How one question ended."""

    score: float
    verdict: str  # passed / failed / graded / right / wrong / skipped
    answer: str = ""
    skipped: bool = False
    cases: list[dict] | None = None
    rubric: list[dict] | None = None
    missed_must: list[str] = field(default_factory=list)
    hints: int = 0
    seconds: float = 0.0
    submissions: int = 0  # judged submissions (one for an answer that is not judged)
    check: Any = None  # the last submission's CheckResult, for the feedback screen


@dataclass
class QuestionContext:
    """What the terminal needs to ask one question."""

    loaded: Loaded
    index: int
    total: int
    clock: Clock
    strict: bool
    editor: bool
    saved_text: str | None
    hints_used: int
    save: Callable[[str], Path]
    judge: Callable[[str, bool], CheckResult]
    submissions: int = 0

    @property
    def question(self) -> Any:
        return self.loaded.question

    def next_hint(self) -> str | None:
        hints = self.question.hints
        if self.hints_used >= len(hints):
            return None
        self.hints_used += 1
        return hints[self.hints_used - 1]


class SessionUI(Protocol):
    """What the Runner needs from a terminal. Each call blocks until the candidate is done
    with that screen; `ask` and `after` raise QuitSession when the candidate quits."""

    def intro(self, state: SessionState, summaries: list[Summary]) -> None: ...
    def ask(self, ctx: QuestionContext) -> Outcome: ...
    def after(self, ctx: QuestionContext, outcome: Outcome, due: datetime | None, rating: str | None) -> None: ...


def utcnow() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------- planning


def plan(opts: StartOptions, catalog: Catalog, store, *, now: datetime | None = None,
         rng=None) -> tuple[SessionState, list[Summary]]:
    """Choose the questions and their budgets, and open a session in the store."""
    now = now or utcnow()
    check_options(opts, catalog)
    if opts.questions:
        chosen = [catalog.find(ref) for ref in opts.questions]
        for s in chosen:
            if not s.available:
                raise s.unavailable_error()
        label = chosen[0].round if len({s.round for s in chosen}) == 1 else "mixed"
    else:
        rounds = list(dict.fromkeys(opts.rounds))
        known = set(catalog.rounds())
        if rounds == ["mixed"]:
            rounds = [r for r in MIXED_LOOP if r in known]
            label = "mixed"
        else:
            label = rounds[0] if len(rounds) == 1 else "mixed"
        count = opts.count or DEFAULT_COUNT.get(label, 2 if len(rounds) == 1 else len(rounds))
        matching = [s for s in catalog.select(None, opts.tag, opts.difficulty) if s.round in rounds]
        pool = [s for s in matching if s.available]
        if not pool:
            missing = [m for s in matching for m in s.missing]
            if missing:
                raise InputError("the questions that match these filters need packages this Python cannot "
                                 f"import ({', '.join(dict.fromkeys(missing))})",
                                 f"Install them with: {install_command(missing)}")
            raise InputError("no questions match these filters; see `drill list`")
        from drill.progress import schedule  # --question needs no scheduler

        if len(rounds) == 1:
            chosen = schedule.select(pool, store, focus=opts.focus, count=count, now=now, rng=rng)
        else:
            # One from each round in turn, each pick by the store's selection.
            ranked = {r: schedule.select([s for s in pool if s.round == r], store, focus=opts.focus,
                                         count=count, now=now, rng=rng) if any(s.round == r for s in pool) else []
                      for r in rounds}
            chosen = []
            while len(chosen) < count and any(ranked.values()):
                for r in rounds:
                    if ranked[r] and len(chosen) < count:
                        chosen.append(ranked[r].pop(0))
        if not chosen:
            raise InputError("nothing to practise with this focus (e.g. nothing is due); try --focus new")
    budgets = [s.minutes * 60 for s in chosen]
    if opts.minutes:
        total = sum(budgets)
        budgets = [opts.minutes * 60 * b / total for b in budgets]
    filters = {k: v for k, v in {"rounds": opts.rounds, "count": opts.count, "tag": opts.tag,
                                 "difficulty": opts.difficulty, "focus": opts.focus,
                                 "questions": opts.questions, "minutes": opts.minutes,
                                 "strict": opts.strict}.items() if v}
    sid = store.start_session(label, filters, now=now)
    state = SessionState(session_id=sid, label=label, uids=[s.uid for s in chosen], budgets=budgets,
                         cram=opts.focus == "random", strict=opts.strict, editor=opts.editor,
                         packs=[str(p) for p in opts.packs])
    state.save()
    return state, chosen


def check_options(opts: StartOptions, catalog: Catalog) -> None:
    """The options' own errors, found before anything is planned or shown."""
    if opts.count is not None and opts.count < 1:
        raise InputError("--count must be at least 1")
    if opts.minutes is not None and opts.minutes <= 0:
        raise InputError("--minutes must be more than 0")
    for ref in opts.questions:
        catalog.find(ref)
    known = set(catalog.rounds())
    for r in opts.rounds:
        if r != "mixed" and r not in known:
            raise InputError(f"no questions in round '{r}'; rounds: {', '.join(sorted(known))}")


def is_builtin_round(r: str) -> bool:
    return r in BUILTIN_ROUNDS


# ---------------------------------------------------------------- judging


def judge_answer(loaded: Loaded, text: str, examples_only: bool) -> CheckResult:
    kind = loaded.question.kind
    if kind == "code":
        from drill.judge.code import judge_code

        return judge_code(loaded.full(), text, examples_only=examples_only)
    if kind == "sql":
        from drill.sql.judge import judge_sql

        return judge_sql(loaded.full(), text, examples_only=examples_only)
    raise InputError(f"{loaded.uid} is a {kind} question; only code and sql answers are judged")


# ---------------------------------------------------------------- running


@dataclass
class SessionResult:
    state: SessionState | None  # None when left before a session was planned
    status: str  # completed / interrupted / cancelled (left at the intro or a picker)
    results: list[dict]


class Runner:
    def __init__(self, ui: SessionUI, catalog: Catalog, store, state: SessionState, *,
                 now: Callable[[], datetime] = utcnow, monotonic: Callable[[], float] = time.monotonic,
                 judge: Callable[[Loaded, str, bool], CheckResult] = judge_answer) -> None:
        self.ui, self.catalog, self.store, self.state = ui, catalog, store, state
        self.now, self.monotonic, self.judge = now, monotonic, judge

    def run(self) -> SessionResult:
        st = self.state
        while st.index < len(st.uids):
            loaded = self.catalog.load_for_round(st.uids[st.index])
            kind = loaded.question.kind
            # The clock starts here, when the question goes on screen (after the previous
            # question's feedback was dismissed), with any time used before a pause.
            started = self.now() - timedelta(seconds=st.used)
            clock = Clock(st.budgets[st.index], carried=st.used, now=self.monotonic)
            index = st.index

            def save(text: str, _kind: str = kind, _index: int = index, _clock: Clock = clock) -> Path:
                st.used = _clock.used
                path = st.save_answer(_index, _kind, text)
                st.save()
                return path

            ctx = QuestionContext(
                loaded=loaded, index=index, total=len(st.uids), clock=clock, strict=st.strict,
                editor=st.editor, saved_text=st.load_answer(index, kind), hints_used=st.hints,
                save=save, judge=functools.partial(self.judge, loaded), submissions=st.submissions,
            )
            try:
                outcome = self.ui.ask(ctx)
            except QuitSession:
                st.used = clock.used
                st.hints = ctx.hints_used
                st.submissions = ctx.submissions
                st.save()
                self.store.end_session(st.session_id, "interrupted", now=self.now())
                return SessionResult(st, "interrupted", st.results)
            clock.stop()
            outcome.seconds = clock.used
            outcome.hints = ctx.hints_used
            rec = self._record(loaded, outcome, started)
            st.results.append({
                "uid": loaded.uid, "title": loaded.question.title, "kind": kind,
                "score": outcome.score, "verdict": outcome.verdict, "seconds": outcome.seconds,
                "budget": st.budgets[index], "hints": outcome.hints,
                "tags": list(loaded.question.tags),
                "due": rec.due.isoformat() if rec.due else None, "rating": rec.rating,
            })
            st.index += 1
            st.used, st.hints, st.submissions = 0.0, 0, 0
            last = st.index >= len(st.uids)
            if last:
                self.store.end_session(st.session_id, "completed", now=self.now())
                st.finish()
            else:
                st.save()
            try:
                self.ui.after(ctx, outcome, rec.due, rec.rating)
            except QuitSession:
                if last:
                    return SessionResult(st, "completed", st.results)
                self.store.end_session(st.session_id, "interrupted", now=self.now())
                return SessionResult(st, "interrupted", st.results)
        return SessionResult(st, "completed", st.results)

    def _record(self, loaded: Loaded, o: Outcome, started: datetime):
        from drill.progress.record import record_attempt
        from drill.progress.store import Attempt

        q = loaded.question
        a = Attempt(
            uid=loaded.uid, pack=loaded.pack, round=q.round, kind=q.kind, difficulty=q.difficulty,
            tags=tuple(q.tags), started_at=started, ended_at=self.now(), score=o.score,
            verdict=o.verdict, seconds=o.seconds, budget_seconds=self.state.budgets[self.state.index],
            cases=o.cases, rubric=o.rubric, hints_used=o.hints, answer=o.answer, skipped=o.skipped,
            session_id=self.state.session_id, cram=self.state.cram,
            submissions=o.submissions if q.kind in ("code", "sql") or o.skipped else max(o.submissions, 1),
        )
        return record_attempt(self.store, a, reschedule=not self.state.cram)
