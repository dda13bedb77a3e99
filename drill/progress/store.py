"""The progress store: one SQLite database, opened only through this module.

Usage (the API `drill check` and `drill start` call; stable, extend only)::

    from drill.progress.store import Attempt, open_store

    with open_store() as store:                      # $DRILL_HOME/drill.db
        sid = store.start_session("mlops", {"focus": "weak", "count": 5})
        a = Attempt.for_question(summary, started_at=t0, ended_at=t1, score=0.8,
                                 verdict="passed", session_id=sid, answer=text)
        res = record_attempt(store, a)               # drill.progress.record: attempt,
        res.rating, res.due                          # FSRS card and review log at once
        record_attempt(store, a2, reschedule=False)  # cram: recorded, schedule untouched
        store.end_session(sid, "completed")

- `open_store(path=None, *, fuzz=True, create=True) -> Store`, a context manager.
  `create=False` is for readers (report, history, export, the dashboard, the picker's
  due counts): the file is opened read-only and never modified, not even its header;
  when it does not exist, an empty in-memory store stands in (nothing is created).
  `path=":memory:"` gives a private in-memory store (tests).
- `Store.start_session(round, filters, *, now=None) -> int`;
  `Store.end_session(id, status, *, now=None)` (status: completed, abandoned, interrupted).
- `Store.transaction()` gives a `Transaction` that writes rows (an attempt, a reviewed
  card and its log) in one commit; `Store.insert_attempt(a)` records an attempt alone.
  The store computes nothing: ratings and next cards come from drill.progress.record
  and drill.progress.schedule, above it.
- `Store.attempts(uid=, round=, since=, session_id=, limit=, newest_first=True) -> list[Attempt]`,
  `Store.card(uid) -> CardInfo | None`, `Store.cards(uids)`, `Store.due(now) -> list[CardInfo]`,
  `Store.seen_uids()`, `Store.weighted_sums(...)` (weak areas), `Store.read(sql, params)`.
- `Store.setting(key)`, `Store.set_setting(key, value)`, `Store.delete_setting(key)`: small
  named settings (the interview plan), kept apart from progress (`clear` leaves them).

Every datetime passed in must be timezone-aware; the database keeps UTC ISO text.
Rubric marks (`Attempt.rubric`) are a list of `{"point", "weight", "must", "hit"}`;
per-case results (`Attempt.cases`) are `CaseResult.to_json()` dicts. A round adds `"part"`
to both (0: the main answer; k: follow-up probe or code part k; docs/scheduling.md).

Errors: anything wrong with the database file (empty, not SQLite, another program's
SQLite database, corrupt, from a newer drill, a read-only folder, a full disk) is a
`StoreError` naming the file, and the file is left byte-identical (drill.progress.dbfile).
Concurrency: WAL mode, a busy timeout, and BEGIN IMMEDIATE for every write, so two
drill processes can record at once without "database is locked".
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from drill.constants import HALF_LIFE_DAYS
from drill.errors import StoreError
from drill.progress import dbfile
from drill.progress.dbfile import BUSY_TIMEOUT_MS, SQLITE_HEADER  # noqa: F401 (API)
from drill.progress.migrations import check_compatible, migrate, pending
from drill.strictjson import dumps

MEMORY = ":memory:"
RECENCY_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def ts(dt: datetime) -> str:
    """A datetime as the database's UTC ISO text."""
    if dt.tzinfo is None:
        raise ValueError("drill.progress.store needs timezone-aware datetimes")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ts(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def recency_key(dt: datetime) -> float:
    """2 ** (days since 2020-01-01 / half-life): an attempt's weight at time `now` is
    recency_key(ended_at) / recency_key(now), capped at 1. Doubles hold this until
    about 2059; a migration can rebase the epoch long before then."""
    return 2.0 ** ((dt - RECENCY_EPOCH).total_seconds() / 86400.0 / HALF_LIFE_DAYS)


@dataclass
class Attempt:
    """One answered (or skipped) question, with its context as it was at the time."""

    uid: str
    pack: str
    round: str
    kind: str
    difficulty: str
    tags: tuple[str, ...]
    started_at: datetime
    ended_at: datetime
    score: float  # 0..1
    verdict: str  # e.g. passed / failed / self-graded / skipped
    seconds: float | None = None  # time used; defaults to ended_at - started_at
    budget_seconds: float | None = None
    cases: list[dict] | None = None  # code and SQL: CaseResult.to_json() per case
    rubric: list[dict] | None = None  # open: {"point", "weight", "must", "hit"} per point
    hints_used: int = 0
    answer: str = ""
    skipped: bool = False
    session_id: int | None = None
    cram: bool = False
    submissions: int = 1  # times the answer was submitted (judged kinds); the rating counts failed ones
    id: int | None = None  # set once stored

    def __post_init__(self) -> None:
        self.tags = tuple(self.tags)
        if self.seconds is None:
            self.seconds = max((self.ended_at - self.started_at).total_seconds(), 0.0)
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score must be within 0..1, not {self.score}")
        ts(self.started_at)
        ts(self.ended_at)

    @classmethod
    def for_question(cls, summary: Any, **kw: Any) -> Attempt:
        """An attempt at a catalogue `Summary` (or a loaded question with `uid`/`pack`)."""
        minutes = getattr(summary, "minutes", None)
        kw.setdefault("budget_seconds", minutes * 60 if minutes else None)
        return cls(uid=summary.uid, pack=summary.pack, round=summary.round, kind=summary.kind,
                   difficulty=summary.difficulty, tags=tuple(summary.tags), **kw)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready and lossless: `Attempt.from_dict(a.to_dict()) == a`."""
        d = asdict(self)
        d["tags"] = list(self.tags)
        d["started_at"] = ts(self.started_at)
        d["ended_at"] = ts(self.ended_at)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attempt:
        names = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in names}
        kw["started_at"] = parse_ts(d["started_at"])
        kw["ended_at"] = parse_ts(d["ended_at"])
        kw["tags"] = tuple(d.get("tags") or ())
        return cls(**kw)


@dataclass(frozen=True)
class CardInfo:
    uid: str
    due: datetime
    state: int  # fsrs.State: 1 Learning, 2 Review, 3 Relearning
    last_review: datetime | None
    reviews: int
    lapses: int
    card_json: str


_ATTEMPT_COLS = ("uid", "pack", "round", "kind", "tags", "difficulty", "started_at", "ended_at",
                 "seconds", "budget_seconds", "score", "verdict", "cases", "rubric", "hints_used",
                 "answer", "skipped", "session_id", "cram", "submissions", "wt")


def _attempt_row(a: Attempt) -> tuple:
    return (a.uid, a.pack, a.round, a.kind, dumps(list(a.tags)), a.difficulty,
            ts(a.started_at), ts(a.ended_at), a.seconds, a.budget_seconds, a.score, a.verdict,
            None if a.cases is None else dumps(a.cases),
            None if a.rubric is None else dumps(a.rubric),
            a.hints_used, a.answer, int(a.skipped), a.session_id, int(a.cram), a.submissions,
            recency_key(a.ended_at))  # wt last: insert_attempt reads it as row[-1]


def _attempt_from_row(r: sqlite3.Row) -> Attempt:
    return Attempt(
        id=r["id"], uid=r["uid"], pack=r["pack"], round=r["round"], kind=r["kind"],
        tags=tuple(json.loads(r["tags"])), difficulty=r["difficulty"],
        started_at=parse_ts(r["started_at"]), ended_at=parse_ts(r["ended_at"]),
        seconds=r["seconds"], budget_seconds=r["budget_seconds"], score=r["score"],
        verdict=r["verdict"], cases=None if r["cases"] is None else json.loads(r["cases"]),
        rubric=None if r["rubric"] is None else json.loads(r["rubric"]),
        hints_used=r["hints_used"], answer=r["answer"], skipped=bool(r["skipped"]),
        session_id=r["session_id"], cram=bool(r["cram"]), submissions=r["submissions"],
    )


# ts() writes exactly this (years from 1000 on): such text needs no re-formatting.
_CANONICAL_TS = re.compile(r"[1-9]\d{3}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_DICT_COLS = ("uid", "pack", "round", "kind", "difficulty", "tags", "started_at", "ended_at", "score",
              "verdict", "seconds", "budget_seconds", "cases", "rubric", "hints_used", "answer",
              "skipped", "session_id", "cram", "submissions", "id")


def _json_column(text: Any, parse: bool) -> Any:
    """A JSON column's value; with `parse` false, its JSON text instead, non-ASCII as it is.

    drill writes these columns strict, ASCII-escaped and with json's default separators,
    so stored text with no \\u escape (and no NaN or Infinity, which older drills wrote)
    is that text already, and is passed on as it is: parsing and writing it again would
    cost most of a long CSV export."""
    if text is None:
        return None
    # One-character searches first: they are several times faster than the words'.
    if (not parse and type(text) is str and text[:1] == "[" and ("\\" not in text or "\\u" not in text)
            and ("N" not in text or "NaN" not in text) and ("I" not in text or "Infinity" not in text)):
        return text
    value = json.loads(text)
    return value if parse or value is None else dumps(value, ensure_ascii=False)


def _attempt_dict_from_row(r: tuple, parse: bool = True) -> dict[str, Any]:
    """`_attempt_from_row(r).to_dict()` for a row of `_DICT_COLS`, checked alike (a row
    `Attempt` would refuse raises the same errors), without building the Attempt: the
    dataclass's deep copy and re-formatting the times cost most of a long export.
    With `parse` false, `cases` and `rubric` are JSON text (see `_json_column`)."""
    (uid, pack, round_, kind, difficulty, tags, started, ended, score, verdict, seconds, budget,
     cases, rubric, hints, answer, skipped, session, cram, submissions, aid) = r
    started_at, ended_at = parse_ts(started), parse_ts(ended)
    if seconds is None:
        seconds = max((ended_at - started_at).total_seconds(), 0.0)
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score must be within 0..1, not {score}")
    return {
        "uid": uid, "pack": pack, "round": round_, "kind": kind, "difficulty": difficulty,
        "tags": list(json.loads(tags)),
        "started_at": started if type(started) is str and _CANONICAL_TS.fullmatch(started) else ts(started_at),
        "ended_at": ended if type(ended) is str and _CANONICAL_TS.fullmatch(ended) else ts(ended_at),
        "score": score, "verdict": verdict, "seconds": seconds, "budget_seconds": budget,
        "cases": _json_column(cases, parse), "rubric": _json_column(rubric, parse),
        "hints_used": hints, "answer": answer, "skipped": bool(skipped), "session_id": session,
        "cram": bool(cram), "submissions": submissions, "id": aid,
    }


def _card_from_row(r: sqlite3.Row) -> CardInfo:
    return CardInfo(r["uid"], parse_ts(r["due"]), r["state"],
                    parse_ts(r["last_review"]) if r["last_review"] else None,
                    r["reviews"], r["lapses"], r["card"])



@dataclass(frozen=True)
class Review:
    """A card after one review, computed above the store (drill.progress.record)."""

    rating: int
    card_json: str
    due: datetime
    state: int
    lapse: bool
    duration_ms: int
    log_json: str


class Transaction:
    """Writes inside one `Store.transaction()`: rows only, nothing computed here."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def insert_attempt(self, a: Attempt) -> int:
        row = _attempt_row(a)
        cur = self.db.execute(
            f"INSERT INTO attempts ({', '.join(_ATTEMPT_COLS)}) "
            f"VALUES ({', '.join('?' * len(_ATTEMPT_COLS))})", row)
        aid = int(cur.lastrowid or 0)
        self.db.executemany(
            "INSERT OR IGNORE INTO attempt_tags (tag, attempt_id, round, ended_at, score, wt) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(t, aid, a.round, row[7], a.score, row[-1]) for t in a.tags])
        return aid

    def card_json(self, uid: str) -> str | None:
        """The question's stored FSRS card, read inside the transaction, so that two
        writers never review the same card from the same old state."""
        row = self.db.execute("SELECT card FROM cards WHERE uid = ?", (uid,)).fetchone()
        return row[0] if row else None

    def write_review(self, uid: str, attempt_id: int, at: datetime, review: Review) -> None:
        self.db.execute(
            "INSERT INTO cards (uid, card, due, state, last_review, reviews, lapses) "
            "VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT(uid) DO UPDATE SET card = excluded.card, "
            "due = excluded.due, state = excluded.state, last_review = excluded.last_review, "
            "reviews = reviews + 1, lapses = lapses + excluded.lapses",
            (uid, review.card_json, ts(review.due), review.state, ts(at), int(review.lapse)),
        )
        self.db.execute(
            "INSERT INTO review_logs (uid, attempt_id, rating, reviewed_at, duration_ms, log) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (uid, attempt_id, review.rating, ts(at), review.duration_ms, review.log_json),
        )

class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path | None, *, fuzz: bool = True,
                 readonly: bool = False, stamp: list[int] | None = None) -> None:
        self.conn = conn
        self.path = path
        self.fuzz = fuzz
        self.readonly = readonly
        # The file as drill last verified or wrote it (dbfile.verify): renewed after a
        # write of drill's own changes it, so the next open need not check it again.
        self._stamp = stamp

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "the in-memory database"

    # ------------------------------------------------------------ lifecycle
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()
        if not self.readonly:
            # Closing the last connection folds the WAL (others' commits too) into the file.
            self._restamp()

    def _restamp(self) -> None:
        if self.path is None:
            return
        now = dbfile.stamp_of(self.path)
        if now is not None and now != self._stamp:
            dbfile.save_stamp(self.path, now)
            self._stamp = now

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Reads: an SQLite error, or a row that does not decode (bytes that are not UTF-8,
        JSON or times that do not parse), is a StoreError naming the file."""
        try:
            yield
        except (sqlite3.Error, UnicodeError, ValueError, TypeError, KeyError, OverflowError) as e:
            raise dbfile.error(e, self.path) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction; the write lock is taken up front (no upgrade deadlocks).

        If the commit fails (a full disk), SQLite may already have rolled back: ROLLBACK is
        only sent while a transaction is open, so the real error is the one reported."""
        if self.readonly:
            raise StoreError(f"{self.label} was opened for reading only")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    with suppress(sqlite3.Error):  # the original error says more
                        self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:
            raise dbfile.error(e, self.path) from None
        self._restamp()  # a commit may have checkpointed the WAL into the file

    def read(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._guard():
            return self.conn.execute(sql, params).fetchall()

    # ------------------------------------------------------------ sessions
    def start_session(self, round: str | None, filters: dict[str, Any] | None = None, *,
                      now: datetime | None = None) -> int:
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO sessions (round, filters, started_at, status) VALUES (?, ?, ?, 'running')",
                (round, dumps(filters or {}, sort_keys=True), ts(now or datetime.now(UTC))),
            )
            return int(cur.lastrowid or 0)

    def end_session(self, session_id: int, status: str = "completed", *,
                    now: datetime | None = None) -> None:
        with self._write() as db:
            db.execute("UPDATE sessions SET ended_at = ?, status = ? WHERE id = ?",
                       (ts(now or datetime.now(UTC)), status, session_id))

    def sessions(self) -> list[dict[str, Any]]:
        rows = self.read("SELECT * FROM sessions ORDER BY id")
        with self._guard():
            return [{**dict(r), "filters": json.loads(r["filters"])} for r in rows]

    # ------------------------------------------------------------ attempts
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One committed write transaction; see `Transaction` for what it can write."""
        with self._write() as db:
            yield Transaction(db)

    def insert_attempt(self, a: Attempt) -> int:
        """Record an attempt alone (no review), in its own transaction."""
        with self.transaction() as tx:
            return tx.insert_attempt(a)

    def attempts(self, *, uid: str | None = None, round: str | None = None,
                 since: datetime | None = None, session_id: int | None = None,
                 limit: int | None = None, newest_first: bool = True) -> list[Attempt]:
        return list(self.iter_attempts(uid=uid, round=round, since=since, session_id=session_id,
                                       limit=limit, newest_first=newest_first))

    def iter_attempts(self, *, uid: str | None = None, round: str | None = None,
                      since: datetime | None = None, session_id: int | None = None,
                      limit: int | None = None, newest_first: bool = True) -> Iterator[Attempt]:
        where, params = [], []
        for col, val in (("uid", uid), ("round", round), ("session_id", session_id)):
            if val is not None:
                where.append(f"{col} = ?")
                params.append(val)
        if since is not None:
            where.append("ended_at >= ?")
            params.append(ts(since))
        sql = "SELECT * FROM attempts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        order = "DESC" if newest_first else "ASC"
        sql += f" ORDER BY ended_at {order}, id {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._guard():
            for r in self.conn.execute(sql, params):
                yield _attempt_from_row(r)

    def iter_attempt_dicts(self, *, parse: bool = True) -> Iterator[dict[str, Any]]:
        """Every attempt as `Attempt.to_dict()` gives it, oldest first, read as they are
        needed (what `drill export` writes: never all in memory at once). With `parse`
        false, `cases` and `rubric` are JSON text, written with non-ASCII characters as they are."""
        with self._guard():
            cur = self.conn.execute(f"SELECT {', '.join(_DICT_COLS)} FROM attempts ORDER BY ended_at ASC, id ASC")
            cur.row_factory = None  # plain tuples: sqlite3.Row lookups by name cost as much as the rest
            while rows := cur.fetchmany(500):
                for r in rows:
                    yield _attempt_dict_from_row(r, parse)

    def count_attempts(self) -> int:
        return self.read("SELECT count(*) FROM attempts")[0][0]

    def seen_uids(self) -> set[str]:
        return {r[0] for r in self.read("SELECT DISTINCT uid FROM attempts")}

    # ------------------------------------------------------------ cards
    def card(self, uid: str) -> CardInfo | None:
        rows = self.read("SELECT * FROM cards WHERE uid = ?", (uid,))
        with self._guard():
            return _card_from_row(rows[0]) if rows else None

    def cards(self, uids: Sequence[str] | None = None) -> dict[str, CardInfo]:
        rows = self.read("SELECT * FROM cards")
        wanted = None if uids is None else set(uids)
        with self._guard():
            return {r["uid"]: _card_from_row(r) for r in rows if wanted is None or r["uid"] in wanted}

    def due(self, now: datetime) -> list[CardInfo]:
        """Cards due at `now`, earliest first."""
        rows = self.read("SELECT * FROM cards WHERE due <= ? ORDER BY due", (ts(now),))
        with self._guard():
            return [_card_from_row(r) for r in rows]

    # ------------------------------------------------------------ weak areas
    def weighted_sums(self, by: str, now: datetime, *, round: str | None = None,
                      since: datetime | None = None) -> list[tuple[str, int, float, float]]:
        """(key, attempts, sum of w, sum of w*score) per tag or round, w = 0.5^(age_days/14)."""
        where, params = _scope(now, round, since)
        if by == "tag":
            sql = f"SELECT a.tag, {_WSUMS} FROM attempt_tags a {where} GROUP BY a.tag"
        elif by == "round":
            sql = f"SELECT a.round, {_WSUMS} FROM attempts a {where} GROUP BY a.round"
        else:
            raise ValueError(f"weighted_sums by 'tag' or 'round', not {by!r}")
        scale = 1.0 / params["cap"]
        return [(r[0], r[1], r[2] * scale, r[3] * scale) for r in self.read(sql, params)]

    def question_sums(self, now: datetime, *, round: str | None = None,
                      since: datetime | None = None) -> list[tuple[str, str, int, float, float, float, float]]:
        """Per (round, question): attempts, sum of scores, sum of seconds, sum of w, sum of w*score.

        One narrow scan of a covering index: everything the report needs per round."""
        where, params = _scope(now, round, since)
        rows = self.read(
            f"SELECT a.round, a.uid, {_WSUMS}, total(a.score), total(a.seconds) FROM attempts a "
            f"{where} GROUP BY a.round, a.uid", params)
        scale = 1.0 / params["cap"]
        return [(r[0], r[1], r[2], r[5], r[6], r[3] * scale, r[4] * scale) for r in rows]

    def weighted_total(self, now: datetime, *, since: datetime | None = None) -> tuple[int, float, float]:
        where, params = _scope(now, None, since)
        r = self.read(f"SELECT {_WSUMS} FROM attempts a {where}", params)[0]
        scale = 1.0 / params["cap"]
        return r[0], r[1] * scale, r[2] * scale

    # ------------------------------------------------------------ settings
    def setting(self, key: str) -> str | None:
        """The stored text of one setting (see drill.progress.interview), or None."""
        rows = self.read("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str, *, now: datetime | None = None) -> None:
        with self._write() as db:
            db.execute("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                       "updated_at = excluded.updated_at",
                       (key, value, ts(now or datetime.now(UTC))))

    def delete_setting(self, key: str) -> bool:
        """Remove a setting; whether there was one."""
        with self._write() as db:
            return db.execute("DELETE FROM settings WHERE key = ?", (key,)).rowcount > 0

    # ------------------------------------------------------------ maintenance
    def backup_to(self, dest: Path) -> None:
        """A consistent copy (SQLite's online backup), safe while others write."""
        try:
            target = sqlite3.connect(dest)
            try:
                self.conn.backup(target)
            finally:
                target.close()
        except sqlite3.Error as e:
            raise dbfile.error(e, dest) from None

    def clear(self) -> dict[str, int]:
        """Delete all progress (the schema stays); returns rows removed per table."""
        removed = {}
        with self._write() as db:
            for table in ("review_logs", "attempt_tags", "attempts", "cards", "sessions"):
                removed[table] = db.execute(f"DELETE FROM {table}").rowcount
        return removed

    def integrity(self) -> str:
        return self.read("PRAGMA integrity_check")[0][0]


# min(wt, cap): an attempt dated after `now` (a skewed clock) weighs 1, never more.
_WSUMS = "count(*), total(min(a.wt, :cap)), total(min(a.wt, :cap) * a.score)"


def _scope(now: datetime, round: str | None, since: datetime | None) -> tuple[str, dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {"now": ts(now), "cap": recency_key(now)}
    if round is not None:
        where.append("a.round = :round")
        params["round"] = round
    if since is not None:
        where.append("a.ended_at >= :since")
        params["since"] = ts(since)
    return ("WHERE " + " AND ".join(where)) if where else "", params


# ---------------------------------------------------------------- opening


def _store_error(e: BaseException, path: Path | None) -> StoreError:
    return dbfile.error(e, path)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL once per database. The switch needs an exclusive lock, and SQLite
    answers "locked" at once (without its busy handler) while another process is opening
    the same database, so it is retried here up to the busy timeout."""
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _build(conn: sqlite3.Connection) -> None:
    """A new database, made complete before it is linked into place (dbfile.create)."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _use_wal(conn)
    migrate(conn)


def open_store(path: Path | str | None = None, *, fuzz: bool = True, create: bool = True) -> Store:
    """Open (creating and migrating as needed) the progress database. See the module doc."""
    if str(path) == MEMORY:
        conn = dbfile.connect(None)
        migrate(conn)
        return Store(conn, None, fuzz=fuzz)
    if path is None:
        from drill.paths import db_path

        path = db_path()
    path = Path(path)
    readonly = not create
    if not path.exists():
        if readonly:
            return open_store(MEMORY, fuzz=fuzz)
        dbfile.check_folder(path.parent)
        dbfile.create(path, _build)
    else:
        if not readonly:
            dbfile.check_folder(path.parent)
            if not os.access(path, os.W_OK):
                raise StoreError(f"the data folder {path.parent} is read-only; drill keeps its progress there",
                                 "Set DRILL_HOME to a writable folder, or fix the permissions.")
        dbfile.check_path(path)
    conn = dbfile.connect(path, readonly=readonly)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Checks first, reading only: a file drill refuses must come out byte-identical.
        dbfile.identify(conn, path)
        check_compatible(conn, str(path))
        stamp = dbfile.verify(conn, path)
        if readonly:
            if pending(conn):
                # A database from an older drill, read before any writer migrated it: the
                # migrations run on a copy in memory, never on the file.
                copy = dbfile.connect(None)
                conn.backup(copy)
                conn.close()
                conn = copy
                migrate(conn)
            return Store(conn, path, fuzz=fuzz, readonly=True)
        _use_wal(conn)
        # NORMAL in WAL mode: a killed process loses nothing committed; only a power
        # cut may drop the last commits, never corrupting the file.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
    except (sqlite3.Error, UnicodeError) as e:
        conn.close()
        raise dbfile.error(e, path) from None
    except BaseException:
        conn.close()
        raise
    store = Store(conn, path, fuzz=fuzz, stamp=stamp)
    store._restamp()  # the WAL switch rewrites the header of a database from an older drill
    return store
