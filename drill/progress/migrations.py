"""Schema changes of the progress database, as named migrations.

In the manner of simonw/llm's migrations.py: each migration is a function named
`mNNN_what`, applied once in order and recorded by name in `_migrations`.
Never edit or rename a released migration; add a new one. `PRAGMA user_version`
mirrors the number of migrations applied, so an older drill can tell, without
reading any table, that a database is from a newer version.

Times are stored as ISO 8601 UTC text (`2026-11-28T14:38:43.123456Z`): readable in
any SQLite browser, sortable as text, and understood by SQLite's date functions.
JSON columns hold JSON text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from drill.errors import StoreError

Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            round TEXT,
            filters TEXT NOT NULL DEFAULT '{}',
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL DEFAULT 'running'
        );

        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL,
            pack TEXT NOT NULL,
            round TEXT NOT NULL,
            kind TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            difficulty TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT NOT NULL,
            seconds REAL NOT NULL,
            budget_seconds REAL,
            score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
            verdict TEXT NOT NULL,
            cases TEXT,
            rubric TEXT,
            hints_used INTEGER NOT NULL DEFAULT 0,
            answer TEXT NOT NULL DEFAULT '',
            skipped INTEGER NOT NULL DEFAULT 0,
            session_id INTEGER REFERENCES sessions(id),
            cram INTEGER NOT NULL DEFAULT 0,
            -- 2 ** (days from 2020-01-01 to ended_at / 14): the recency weight up to a
            -- factor shared by all rows, so weak-area sums need no per-row pow() (see
            -- drill.progress.store.recency_key). Tied to the 14-day half-life.
            wt REAL NOT NULL
        );
        CREATE INDEX attempts_by_uid ON attempts(uid, ended_at);
        CREATE INDEX attempts_by_time ON attempts(ended_at);
        CREATE INDEX attempts_by_session ON attempts(session_id);
        -- Covers the report's per-round and per-question aggregates: a narrow scan
        -- instead of reading every wide attempt row (answers can be long).
        CREATE INDEX attempts_stats ON attempts(round, uid, score, seconds, wt, ended_at);

        -- The tags of each attempt as they were, one row each, with the fields the
        -- per-tag aggregates need, so they scan this table alone.
        CREATE TABLE attempt_tags (
            tag TEXT NOT NULL,
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            round TEXT NOT NULL,
            ended_at TEXT NOT NULL,
            score REAL NOT NULL,
            wt REAL NOT NULL,
            PRIMARY KEY (tag, attempt_id)
        ) WITHOUT ROWID;
        CREATE INDEX attempt_tags_by_attempt ON attempt_tags(attempt_id);

        -- One FSRS card per question. `due` and `state` copy fields of the card JSON
        -- so reports can count due questions without importing fsrs.
        CREATE TABLE cards (
            uid TEXT PRIMARY KEY,
            card TEXT NOT NULL,
            due TEXT NOT NULL,
            state INTEGER NOT NULL,
            last_review TEXT,
            reviews INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX cards_by_due ON cards(due);

        CREATE TABLE review_logs (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL,
            attempt_id INTEGER REFERENCES attempts(id) ON DELETE CASCADE,
            rating INTEGER NOT NULL,
            reviewed_at TEXT NOT NULL,
            duration_ms INTEGER,
            log TEXT NOT NULL
        );
        CREATE INDEX review_logs_by_uid ON review_logs(uid, reviewed_at);
        """,
    )


@migration
def m002_attempt_submissions(db: sqlite3.Connection) -> None:
    # How many times the answer was submitted in the attempt (judged runs of the hidden
    # tests, or one for an answer that is not judged): the rating counts failed ones.
    # Attempts recorded before this migration count as one.
    db.execute("ALTER TABLE attempts ADD COLUMN submissions INTEGER NOT NULL DEFAULT 1")


@migration
def m003_settings(db: sqlite3.Connection) -> None:
    # Named m003: m002_attempt_submissions comes before it. Independent of m002, so the
    # two apply in either history (migrations are matched by name, not by position).
    _script(
        db,
        """
        -- Small named settings the candidate chose (the interview plan: `drill plan`),
        -- one JSON value per key. Not progress: `drill reset` leaves them alone.
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
    )


@migration
def m004_application_id(db: sqlite3.Connection) -> None:
    # Marks the file as drill's for any tool (`file`, `PRAGMA application_id`), and lets
    # drill tell its own database from another SQLite file without reading a table.
    # (m002 and m003 are other changes' names; each migration is applied by name.)
    from drill.progress.dbfile import APPLICATION_ID

    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _script(db: sqlite3.Connection, sql: str) -> None:
    # Not executescript(): it commits first, which would break the one-transaction rule.
    for stmt in sql.split(";"):
        if stmt.strip():
            db.execute(stmt)


def _ensure_table(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )


def applied(db: sqlite3.Connection) -> list[str]:
    """Names of the migrations recorded in the database (none for a new one)."""
    has = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
    ).fetchone()
    if not has:
        return []
    return [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY rowid")]


def check_compatible(db: sqlite3.Connection, label: str,
                     migrations: list[Migration] | None = None) -> None:
    """Refuse, before changing anything, a database written by a newer drill."""
    migrations = MIGRATIONS if migrations is None else migrations
    known = {m.__name__ for m in migrations}
    version = db.execute("PRAGMA user_version").fetchone()[0]
    unknown = [n for n in applied(db) if n not in known]
    if version > len(migrations) or unknown:
        what = f"migration '{unknown[0]}'" if unknown else f"schema version {version}"
        raise StoreError(
            f"{label} was written by a newer drill ({what}; this drill knows up to "
            f"version {len(migrations)}); upgrade drill to use it",
            "Nothing was changed.",
        )


def migrate(db: sqlite3.Connection, migrations: list[Migration] | None = None) -> list[str]:
    """Apply the migrations not yet recorded, in one transaction; return their names.

    The connection must be in autocommit mode (isolation_level=None). BEGIN IMMEDIATE
    takes the write lock before reading what is applied, so two processes opening a
    new database at once cannot both apply the same migration.
    """
    migrations = MIGRATIONS if migrations is None else migrations
    if not pending(db, migrations):
        return []  # nothing to write: an up-to-date database is left exactly as it is
    db.execute("BEGIN IMMEDIATE")
    try:
        _ensure_table(db)
        done = set(applied(db))
        new = [m for m in migrations if m.__name__ not in done]
        for m in new:
            m(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (m.__name__, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")),
            )
        if db.execute("PRAGMA user_version").fetchone()[0] != len(migrations):
            db.execute(f"PRAGMA user_version = {len(migrations)}")
        db.execute("COMMIT")
    except BaseException:
        # SQLite may have rolled back already (a full disk): a second ROLLBACK would fail
        # with "no transaction is active" and hide the real error.
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return [m.__name__ for m in new]


def pending(db: sqlite3.Connection, migrations: list[Migration] | None = None) -> bool:
    """Whether `migrate` has anything to write (a migration or user_version); reads only."""
    migrations = MIGRATIONS if migrations is None else migrations
    done = set(applied(db))
    return (any(m.__name__ not in done for m in migrations)
            or db.execute("PRAGMA user_version").fetchone()[0] != len(migrations))
