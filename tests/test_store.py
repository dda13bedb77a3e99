"""The progress store: migrations, the recording API, and refusing databases it must not touch."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drill.errors import StoreError
from drill.progress import migrations
from drill.progress.record import record_attempt
from drill.progress.store import Attempt, open_store

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def attempt(uid: str = "p/q1", score: float = 0.8, at: datetime = NOW, **kw) -> Attempt:
    base = dict(uid=uid, pack=uid.split("/")[0], round="mlops", kind="open", difficulty="medium",
                tags=("drift", "monitoring"), started_at=at - timedelta(minutes=12), ended_at=at,
                score=score, verdict="self-graded", budget_seconds=20 * 60)
    base.update(kw)
    return Attempt(**base)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- migrations (in memory)


def test_migrations_create_schema_and_record_names():
    db = sqlite3.connect(":memory:", isolation_level=None)
    names = [m.__name__ for m in migrations.MIGRATIONS]
    assert names[0] == "m001_initial" and "m004_application_id" in names
    assert migrations.migrate(db) == names
    assert migrations.applied(db) == names
    assert names[:2] == ["m001_initial", "m002_attempt_submissions"]
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sessions", "attempts", "attempt_tags", "cards", "review_logs", "settings", "_migrations"} <= tables
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "cards_by_due" in indexes
    assert migrations.migrate(db) == []  # applied once only


def test_migrations_are_numbered_and_apply_in_order_on_a_fresh_database(tmp_path: Path):
    names = [m.__name__ for m in migrations.MIGRATIONS]
    numbers = [int(n[1:4]) for n in names]
    assert all(n[0] == "m" and n[4] == "_" for n in names)
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert "m003_settings" in names
    with open_store(tmp_path / "fresh.db") as st:
        rows = st.read("SELECT name FROM _migrations ORDER BY rowid")
        assert [r[0] for r in rows] == names  # recorded in the order they ran
        assert st.read("PRAGMA user_version")[0][0] == len(names)


def test_settings_migration_applies_to_a_database_from_before_it(tmp_path: Path):
    """A database made by a drill that knew only m001 keeps its rows and gains `settings`."""
    path = tmp_path / "old.db"
    con = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(con, [migrations.m001_initial])
    con.execute("INSERT INTO sessions (round, started_at) VALUES ('sql', '2026-11-01T00:00:00.000000Z')")
    con.close()
    with open_store(path) as st:
        assert st.read("SELECT count(*) FROM sessions")[0][0] == 1
        assert st.setting("interview") is None
        st.set_setting("interview", '{"date": "2026-12-15"}')
        assert st.setting("interview") == '{"date": "2026-12-15"}'
        st.set_setting("interview", '{"date": "2026-12-16"}')
        assert st.setting("interview") == '{"date": "2026-12-16"}'
        st.clear()  # progress only: the interview date stays
        assert st.setting("interview") == '{"date": "2026-12-16"}'
        assert st.delete_setting("interview") and not st.delete_setting("interview")
        assert "m003_settings" in migrations.applied(st.conn)


def test_later_migration_applies_on_top_of_an_older_database():
    db = sqlite3.connect(":memory:", isolation_level=None)
    migrations.migrate(db, [migrations.m001_initial])

    def m002_attempt_notes(conn):
        conn.execute("ALTER TABLE attempts ADD COLUMN notes TEXT")

    assert migrations.migrate(db, [migrations.m001_initial, m002_attempt_notes]) == ["m002_attempt_notes"]
    cols = {r[1] for r in db.execute("PRAGMA table_info(attempts)")}
    assert "notes" in cols
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2


def test_m002_counts_old_attempts_as_one_submission(tmp_path: Path):
    # A database made by the previous version (m001 only), with one attempt in it.
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(db, [migrations.m001_initial])
    db.execute(
        "INSERT INTO attempts (uid, pack, round, kind, difficulty, started_at, ended_at, seconds, "
        "score, verdict, wt) VALUES ('p/q', 'p', 'coding', 'code', 'easy', "
        "'2026-01-01T00:00:00.000000Z', '2026-01-01T00:10:00.000000Z', 600, 1.0, 'passed', 1.0)")
    db.close()
    with open_store(path) as st:
        assert "m002_attempt_submissions" in migrations.applied(st.conn)
        (old,) = st.attempts()
        assert old.submissions == 1
        now = datetime(2026, 2, 1, tzinfo=UTC)
        st.insert_attempt(Attempt(uid="p/q", pack="p", round="coding", kind="code", difficulty="easy",
                                  tags=(), started_at=now, ended_at=now, score=1.0, verdict="passed",
                                  submissions=3))
        assert [a.submissions for a in st.attempts()] == [3, 1]
        assert Attempt.from_dict(st.attempts()[0].to_dict()).submissions == 3


def test_failed_migration_leaves_nothing_half_done():
    db = sqlite3.connect(":memory:", isolation_level=None)

    def m002_broken(conn):
        conn.execute("CREATE TABLE half (x)")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        migrations.migrate(db, [migrations.m001_initial, m002_broken])
    assert migrations.applied(db) == []
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('half', 'attempts')").fetchone()[0] == 0


# ---------------------------------------------------------------- recording


def test_record_attempt_round_trips_every_field():
    with open_store(":memory:", fuzz=False) as s:
        sid = s.start_session("mlops", {"focus": "weak", "count": 3}, now=NOW - timedelta(hours=1))
        a = attempt(cases=[{"name": "t1", "hidden": True, "status": "passed", "time_ms": 1.5, "message": ""}],
                    rubric=[{"point": "PSI per feature", "weight": 1.0, "must": True, "hit": True}],
                    hints_used=1, answer="Track PSI.\nAlert > 0.25 ✓", session_id=sid)
        res = record_attempt(s, a)
        s.end_session(sid, "completed", now=NOW)
        [back] = s.attempts()
        assert back.id == res.attempt_id
        a.id = res.attempt_id
        assert back == a
        assert Attempt.from_dict(back.to_dict()) == back
        assert s.sessions()[0]["status"] == "completed"
        assert s.sessions()[0]["filters"] == {"count": 3, "focus": "weak"}
        tags = s.read("SELECT tag FROM attempt_tags WHERE attempt_id = ? ORDER BY tag", (res.attempt_id,))
        assert [r[0] for r in tags] == ["drift", "monitoring"]


def test_record_updates_card_and_log_in_one_go():
    with open_store(":memory:", fuzz=False) as s:
        r1 = record_attempt(s, attempt(score=0.9))
        assert r1.rating == "good" and r1.due == NOW + timedelta(days=2)
        card = s.card("p/q1")
        assert card is not None and card.reviews == 1 and card.due == r1.due and card.state == 2
        r2 = record_attempt(s, attempt(score=0.1, at=NOW + timedelta(days=2)))
        assert r2.rating == "again"
        card = s.card("p/q1")
        assert card.reviews == 2 and card.lapses == 1
        logs = s.read("SELECT rating, attempt_id FROM review_logs ORDER BY id")
        assert [tuple(r) for r in logs] == [(3, r1.attempt_id), (1, r2.attempt_id)]
        assert [c.uid for c in s.due(NOW + timedelta(days=10))] == ["p/q1"]
        assert s.due(NOW) == []


def test_cram_and_no_reschedule_record_without_touching_the_schedule():
    with open_store(":memory:", fuzz=False) as s:
        record_attempt(s, attempt(score=0.9))
        before = s.card("p/q1")
        res = record_attempt(s, attempt(score=0.0, at=NOW + timedelta(days=1), cram=True))
        assert res.rating is None and res.due is None
        res2 = record_attempt(s, attempt(score=0.0, at=NOW + timedelta(days=1)), reschedule=False)
        assert res2.rating is None
        assert s.card("p/q1") == before
        assert s.count_attempts() == 3
        assert s.read("SELECT count(*) FROM review_logs")[0][0] == 1


def test_failed_write_rolls_back_the_whole_attempt():
    with open_store(":memory:", fuzz=False) as s:
        s.conn.execute("CREATE TRIGGER no_logs BEFORE INSERT ON review_logs BEGIN SELECT RAISE(ABORT, 'nope'); END")
        with pytest.raises(StoreError):
            record_attempt(s, attempt())
        assert s.count_attempts() == 0
        assert s.card("p/q1") is None
        assert s.read("SELECT count(*) FROM attempt_tags")[0][0] == 0


def test_bad_attempts_are_refused_before_writing():
    with pytest.raises(ValueError, match=r"0\.\.1"):
        attempt(score=1.5)
    with pytest.raises(ValueError, match="timezone"):
        attempt(at=datetime(2026, 1, 1))


def test_file_store_uses_wal_and_survives_reopen(drill_home: Path):
    with open_store(fuzz=False) as s:
        record_attempt(s, attempt())
        assert s.read("PRAGMA journal_mode")[0][0] == "wal"
    assert (drill_home / "drill.db").exists()
    with open_store() as s:
        assert s.count_attempts() == 1
        assert s.integrity() == "ok"


def test_reader_creates_nothing_when_there_is_no_database(drill_home: Path):
    with open_store(create=False) as s:
        assert s.count_attempts() == 0
    assert not (drill_home / "drill.db").exists()


# ---------------------------------------------------------------- refusing


def make_db(path: Path) -> None:
    with open_store(path, fuzz=False) as s:
        record_attempt(s, attempt())
    # Fold the WAL back in so the file alone is the whole database.
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode = DELETE")
    con.close()


def test_database_from_newer_drill_by_user_version(tmp_path: Path):
    db = tmp_path / "drill.db"
    make_db(db)
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {len(migrations.MIGRATIONS) + 1}")
    con.close()
    before = digest(db)
    with pytest.raises(StoreError, match="newer drill"):
        open_store(db)
    assert digest(db) == before
    assert not (tmp_path / "drill.db-wal").exists()


def test_database_from_newer_drill_by_migration_name(tmp_path: Path):
    db = tmp_path / "drill.db"
    make_db(db)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO _migrations VALUES ('m099_from_the_future', '2030-01-01')")
    con.commit()
    con.close()
    before = digest(db)
    with pytest.raises(StoreError, match="m099_from_the_future"):
        open_store(db)
    assert digest(db) == before


def test_non_sqlite_file_is_named_and_never_overwritten(tmp_path: Path):
    db = tmp_path / "drill.db"
    db.write_text("these are my notes, not a database\n" * 20)
    before = digest(db)
    with pytest.raises(StoreError) as e:
        open_store(db)
    assert str(db) in e.value.message and "not" in e.value.message
    assert digest(db) == before


def test_corrupt_sqlite_file_is_named_and_never_overwritten(tmp_path: Path):
    db = tmp_path / "drill.db"
    make_db(db)
    data = bytearray(db.read_bytes())
    data[100:] = b"\xa5" * (len(data) - 100)  # keep the header, smash every page
    db.write_bytes(bytes(data))
    before = digest(db)
    with pytest.raises(StoreError) as e, open_store(db) as s:
        s.attempts()
    assert str(db) in e.value.message
    assert digest(db) == before


def test_cli_reports_store_errors_without_traceback(cli, drill_home: Path):
    drill_home.mkdir(parents=True)
    (drill_home / "drill.db").write_bytes(b"PK\x03\x04 a zip file")
    code, _out, err = cli("history")
    assert code == 2
    assert "drill.db" in err and "Traceback" not in err


def _without_root_powers() -> list[str]:
    """Run as root but subject to file permissions, as a normal user would be."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def test_read_only_data_folder_is_a_clear_error_for_writers_only(tmp_path: Path):
    home = tmp_path / "ro-home"
    home.mkdir()
    make_db(home / "drill.db")
    os.chmod(home / "drill.db", 0o444)
    os.chmod(home, 0o555)
    try:
        env = {**os.environ, "DRILL_HOME": str(home)}
        run = [*_without_root_powers(), sys.executable, "-m", "drill"]
        read = subprocess.run([*run, "history"], capture_output=True, text=True, env=env, timeout=60)
        write = subprocess.run([*run, "reset", "--yes"], capture_output=True, text=True, env=env, timeout=60)
    finally:
        os.chmod(home, 0o755)
    # Readers open the file read-only: a read-only folder does not stop them.
    assert read.returncode == 0 and "p/q1" in read.stdout, read.stderr
    assert write.returncode == 2, write.stderr
    assert "read-only" in write.stderr and str(home) in write.stderr
    assert "Traceback" not in read.stderr + write.stderr
