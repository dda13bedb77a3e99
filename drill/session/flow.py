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
# A take-home (`model` question) is hours long: one a round, followed by its write-up.
# The mixed loop never includes one unless `--round take-home` is given beside it.
DEFAULT_COUNT = {"stats": 8, "sql": 3, "mixed": 4, "take-home": 1}


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
    # A question with follow-up probes or code parts: one summary per stage, for the
    # feedback screen (drill.session.stages.summaries); None for a question without.
    parts: list[dict] | None = None


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
    judge: Callable[[str, bool], CheckResult]  # judges the stage in progress
    submissions: int = 0  # every stage's submissions
    # Later stages (drill.session.stages): the one in progress (0: the main answer; k:
    # follow-up probe or code part k), the finished ones' results, the answer saved for
    # any stage, and what the Runner does when a stage is finished (save the state).
    part: int = 0
    parts_done: list[dict] = field(default_factory=list)
    load: Callable[[int], str | None] = lambda _part: None
    on_advance: Callable[[], None] | None = None
    stages: list[Loaded] = field(default_factory=list)  # code: part k as loaded.part(k)

    @property
    def question(self) -> Any:
        return self.loaded.question

    @property
    def later(self) -> int:
        """How many stages follow the main answer (follow-up probes or code parts)."""
        q = self.question
        return len(getattr(q, "followups", None) or getattr(q, "parts", None) or [])

    @property
    def current(self) -> Loaded:
        """The stage in progress as a question of its own (a code part is judged on its
        own tests; a follow-up probe is asked within the open question)."""
        if self.part and self.question.kind == "code":
            return self.stages[self.part] if self.part < len(self.stages) else self.loaded.part(self.part)
        return self.loaded

    def stage_hints(self) -> list[str]:
        if self.part and self.question.kind != "code":
            return []  # follow-up probes have no hints
        return list(self.current.question.hints)

    @property
    def part_hints(self) -> int:
        """Hints revealed in the stage in progress."""
        return max(0, self.hints_used - sum(int(r.get("hints", 0)) for r in self.parts_done
                                            if isinstance(r.get("hints", 0), int)))

    def next_hint(self) -> str | None:
        hints = self.stage_hints()
        shown = self.part_hints
        if shown >= len(hints):
            return None
        self.hints_used += 1
        return hints[shown]

    def advance(self, record: dict) -> None:
        """The stage in progress is finished (`record`: its result); the next one starts."""
        record["hints"] = self.part_hints
        self.parts_done.append(record)
        self.part += 1
        if self.on_advance is not None:
            self.on_advance()


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
        extra: list[str] = []  # rounds asked for beside `mixed`: one question each, after the loop
        if "mixed" in rounds:
            extra = [r for r in rounds if r != "mixed" and r not in MIXED_LOOP]
            rounds = [r for r in MIXED_LOOP if r in known]
            label = "mixed"
        else:
            label = rounds[0] if len(rounds) == 1 else "mixed"
        count = opts.count or DEFAULT_COUNT.get(label, 2 if len(rounds) == 1 else len(rounds))
        matching = [s for s in catalog.select(None, opts.tag, opts.difficulty) if s.round in rounds + extra]
        # A write-up is asked after its take-home, never on its own in a round.
        writeups = writeup_uids(catalog, [s for s in matching if s.kind == "model"])
        matching = [s for s in matching if s.uid not in writeups]
        pool = [s for s in matching if s.available]
        extra_pool = [s for s in pool if s.round in extra]
        pool = [s for s in pool if s.round not in extra]
        if not pool and not extra_pool:
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
        for r in extra:
            chosen += schedule.select([s for s in extra_pool if s.round == r], store, focus=opts.focus,
                                      count=1, now=now, rng=rng) if any(s.round == r for s in extra_pool) else []
        if not chosen:
            raise InputError("nothing to practise with this focus (e.g. nothing is due); try --focus new")
    chosen = with_writeups(catalog, chosen)
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
        s = catalog.find(ref)
        if s.kind == "model" and not s.available:
            raise s.unavailable_error()  # before a workspace is written or the screen opens
    known = set(catalog.rounds())
    for r in opts.rounds:
        if r != "mixed" and r not in known:
            raise InputError(f"no questions in round '{r}'; rounds: {', '.join(sorted(known))}")
    take_homes = [s for s in catalog.select(None, opts.tag, opts.difficulty)
                  if s.kind == "model" and s.round in opts.rounds]
    if take_homes and not any(s.available for s in take_homes):
        raise take_homes[0].unavailable_error()


def writeup_uids(catalog: Catalog, take_homes: list[Summary]) -> set[str]:
    """The uids of the write-ups of these take-homes (their packs are read once each)."""
    from drill.errors import PackInvalid
    from drill.packs.packfile import load_pack

    out: set[str] = set()
    for path in dict.fromkeys(s.path for s in take_homes):
        try:
            pack = load_pack(Path(path))
        except PackInvalid:
            continue  # the catalogue reports a broken pack; its questions fail when loaded
        out |= {f"{pack.pack}/{q.writeup}" for q in pack.questions if q.kind == "model" and q.writeup}
    return out


def with_writeups(catalog: Catalog, chosen: list[Summary]) -> list[Summary]:
    """Each take-home followed by its write-up (an `open` question of its pack), unless
    the write-up is already in the round."""
    if not any(s.kind == "model" for s in chosen):
        return chosen
    out: list[Summary] = []
    asked = {s.uid for s in chosen}
    for s in chosen:
        out.append(s)
        if s.kind != "model":
            continue
        writeup = catalog.load(s.uid).question.writeup
        uid = f"{s.pack}/{writeup}" if writeup else None
        if uid is not None and uid not in asked:
            try:
                out.append(catalog.find(uid))
            except InputError:
                continue  # the pack's validation reports a write-up that is not there
            asked.add(uid)
    return out


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
            ctx = self._context(loaded, clock)
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
            st.used, st.hints, st.submissions, st.part, st.parts = 0.0, 0, 0, 0, []
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

    def _context(self, loaded: Loaded, clock: Clock) -> QuestionContext:
        """The question's context, at the stage the state says (a resumed session may
        stop mid-probe or mid-part), with the state kept as the candidate goes."""
        st, kind, index = self.state, loaded.question.kind, self.state.index
        ctx = QuestionContext(
            loaded=loaded, index=index, total=len(st.uids), clock=clock, strict=st.strict,
            editor=st.editor, saved_text=None, hints_used=st.hints, save=lambda _t: Path(),
            judge=lambda _t, _e: CheckResult("", ""), submissions=st.submissions,
        )
        # A pack edited since the pause may have fewer stages: resume at its last one.
        ctx.part = min(st.part, ctx.later)
        ctx.parts_done = list(st.parts)  # the view keeps what is sound (drill.session.stages.clean)
        # Each code part loaded now: a broken tests file is an error before the question
        # shows, not mid-question.
        ctx.stages = [loaded] + [loaded.part(k) for k in range(1, ctx.later + 1 if kind == "code" else 1)]
        ctx.saved_text = st.load_answer(index, kind, ctx.part)

        def save(text: str) -> Path:
            st.used = clock.used
            path = st.save_answer(index, kind, text, ctx.part)
            st.save()
            return path

        def advanced() -> None:
            st.part, st.parts = ctx.part, list(ctx.parts_done)
            st.hints, st.submissions = ctx.hints_used, ctx.submissions
            st.used = clock.used
            st.save()

        ctx.save = save
        ctx.load = functools.partial(st.load_answer, index, kind)
        ctx.judge = lambda text, examples_only: self.judge(ctx.current, text, examples_only)
        ctx.on_advance = advanced
        return ctx

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
