"""The store refuses what is not its own, and readers never write (issue 12, item 8).

A damaged file (flipped bytes, an index SQLite's integrity check calls wrong, text that is
not UTF-8), an empty file and another program's SQLite database are each refused by every
command with a clear message and exit 2, and come out byte-identical; a `drill check`
that cannot record still shows its verdict and keeps its exit code. Readers (report,
history, export, the dashboard, `open_store(create=False)`) never modify the file.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drill.errors import StoreError
from drill.paths import builtin_questions_dir
from drill.progress import dbfile, migrations
from drill.progress.record import record_attempt
from drill.progress.store import Attempt, open_store
from tests.conftest import run_drill

SOLUTION = builtin_questions_dir().parent / "solutions" / "sql" / "daily-net-flow.sql"
READERS = (["report"], ["report", "--json"], ["history"], ["history", "--json"], ["export"],
           ["export", "--format", "csv"], [])


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def files_beside(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir() if p.name.startswith(path.name)}


def make_history(path: Path, n: int = 12) -> None:
    t0 = datetime.now(UTC) - timedelta(days=3)
    with open_store(path, fuzz=False) as store:
        for i in range(n):
            at = t0 + timedelta(minutes=7 * i)
            record_attempt(store, Attempt(
                uid=f"sql/q{i % 4}", pack="sql", round="sql", kind="sql", difficulty="easy",
                tags=("joins", f"t{i % 3}"), started_at=at - timedelta(minutes=5), ended_at=at,
                score=(i % 5) / 4, verdict="passed" if i % 5 == 4 else "failed", answer="SELECT 1 -- " + "x" * 300))


def assert_refused(drill_home: Path, why: str) -> None:
    """Every command refuses the database with exit 2 (check: its verdict's) and leaves it as it was."""
    db = drill_home / "drill.db"
    before, beside = fingerprint(db)[0], files_beside(db)
    for args in READERS:
        r = run_drill(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert str(db) in r.stderr and why in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.stderr
    r = run_drill("check", "sql/daily-net-flow", str(SOLUTION))
    assert r.returncode == 0, r.stderr  # the verdict's exit code
    assert "passed: " in r.stdout and why in r.stderr
    assert "This attempt was not recorded; the verdict above stands." in r.stderr
    r = run_drill("reset", "--yes")
    assert r.returncode == 2 and why in r.stderr, r.stderr
    assert fingerprint(db)[0] == before
    assert files_beside(db) == beside  # no journal, WAL or copy left beside it either


def test_a_zero_byte_file_is_refused_not_made_into_a_database(drill_home: Path):
    drill_home.mkdir(parents=True)
    (drill_home / "drill.db").write_bytes(b"")
    assert_refused(drill_home, "is an empty file")
    assert (drill_home / "drill.db").stat().st_size == 0


def test_another_programs_sqlite_database_gets_no_tables(drill_home: Path):
    drill_home.mkdir(parents=True)
    con = sqlite3.connect(drill_home / "drill.db")
    con.execute("CREATE TABLE notes (body TEXT)")
    con.execute("INSERT INTO notes VALUES ('mine')")
    con.commit()
    con.close()
    assert_refused(drill_home, "is an SQLite database, but not drill's (it holds notes)")
    con = sqlite3.connect(drill_home / "drill.db")
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["notes"]


def test_an_sqlite_file_without_tables_is_refused(drill_home: Path):
    drill_home.mkdir(parents=True)
    con = sqlite3.connect(drill_home / "drill.db")
    con.execute("PRAGMA user_version = 7")  # writes a header, creates nothing
    con.close()
    assert_refused(drill_home, "without drill's tables")


def _fold_wal(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def test_an_index_the_integrity_check_calls_wrong_is_refused(drill_home: Path):
    db = drill_home / "drill.db"
    make_history(db)
    # Hide an index from SQLite, add a row (the index misses it), and put the index back:
    # every query still works, only PRAGMA integrity_check sees the damage.
    con = sqlite3.connect(db)
    con.execute("PRAGMA writable_schema = ON")
    entry = con.execute("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master "
                        "WHERE name = 'attempts_by_time'").fetchone()
    con.execute("DELETE FROM sqlite_master WHERE name = 'attempts_by_time'")
    con.commit()
    con.close()
    con = sqlite3.connect(db)
    cols = ", ".join(c for c in ("uid", "pack", "round", "kind", "tags", "difficulty", "started_at", "ended_at",
                                 "seconds", "budget_seconds", "score", "verdict", "answer", "wt"))
    con.execute(f"INSERT INTO attempts ({cols}) SELECT {cols} FROM attempts LIMIT 1")
    con.execute("PRAGMA writable_schema = ON")
    con.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", entry)
    con.commit()
    con.close()
    _fold_wal(db)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    assert con.execute("SELECT count(*) FROM attempts").fetchone()[0] == 13  # reads still work
    con.close()
    assert_refused(drill_home, "is corrupt or not a drill database (integrity check: ")


def test_text_that_is_not_utf8_is_refused_not_a_traceback(drill_home: Path):
    db = drill_home / "drill.db"
    make_history(db)
    _fold_wal(db)
    data = bytearray(db.read_bytes())
    at = data.index(b"m001_initial")
    data[at] |= 0x80  # 'm' -> 0xED: the start of a UTF-8 sequence that never comes
    db.write_bytes(bytes(data))
    assert_refused(drill_home, "is corrupt or not a drill database")


def flip(good: Path, seed: int, n: int = 200) -> bytes:
    rng = random.Random(seed)
    data = bytearray(good.read_bytes())
    for _ in range(n):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def test_flipped_bytes_never_give_a_traceback_or_a_changed_file(tmp_path: Path, drill_home: Path):
    good = tmp_path / "good.db"
    make_history(good, n=40)
    _fold_wal(good)
    db = drill_home / "drill.db"
    refused = 0
    for seed in range(30):
        db.write_bytes(flip(good, seed))
        before = fingerprint(db)[0]
        try:
            with open_store(db, create=False) as store:
                store.attempts()
                store.cards()
                store.read("SELECT tag, count(*) FROM attempt_tags GROUP BY tag")
        except StoreError as e:
            assert str(db) in e.message
            refused += 1
        assert fingerprint(db)[0] == before  # a reader, refused or not, wrote nothing
        try:
            open_store(db).close()
        except StoreError:
            assert fingerprint(db)[0] == before  # refused: left as it was
        for f in db.parent.glob("drill.db-*"):
            f.unlink()
    assert refused >= 25  # 200 flipped bytes almost always break a small database
    for seed in (1, 2):  # and through the real commands
        db.write_bytes(flip(good, seed))
        assert_refused(drill_home, str(db))


def test_readers_never_write_a_byte(drill_home: Path):
    db = drill_home / "drill.db"
    make_history(db)
    before = fingerprint(db)
    for args in READERS:
        r = run_drill(*args)
        assert r.returncode == 0, (args, r.stderr)
        assert fingerprint(db) == before, f"{args} changed the file"
    with open_store(create=False) as store:  # what the round picker's due counts open
        assert store.count_attempts() == 12 and store.readonly
        with pytest.raises(StoreError, match="opened for reading only"):
            store.insert_attempt(store.attempts(limit=1)[0])
    assert fingerprint(db) == before


def test_a_database_from_an_older_drill_is_read_as_is_and_migrated_by_the_next_writer(drill_home: Path):
    db = drill_home / "drill.db"
    make_history(db)
    con = sqlite3.connect(db)  # as drill left it before m004: no application_id
    con.execute("DELETE FROM _migrations WHERE name = 'm004_application_id'")
    con.execute("PRAGMA application_id = 0")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    _fold_wal(db)
    before = fingerprint(db)
    r = run_drill("history", "--json")
    assert r.returncode == 0 and len(__import__("json").loads(r.stdout)) == 12, r.stderr
    assert fingerprint(db) == before
    r = run_drill("check", "sql/daily-net-flow", str(SOLUTION))
    assert r.returncode == 0 and "Recorded" in r.stderr, r.stderr
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA application_id").fetchone()[0] == dbfile.APPLICATION_ID
    assert con.execute("SELECT count(*) FROM attempts").fetchone()[0] == 13
    assert [r[0] for r in con.execute("SELECT name FROM _migrations")] == [m.__name__ for m in migrations.MIGRATIONS]


def test_a_new_database_is_never_left_half_made(drill_home: Path, monkeypatch):
    db = drill_home / "drill.db"

    def broken(conn):
        conn.execute("CREATE TABLE half (x)")
        raise RuntimeError("killed while creating")

    monkeypatch.setattr("drill.progress.store._build", broken)
    with pytest.raises(RuntimeError):
        open_store(db)
    assert not db.exists() and list(drill_home.iterdir()) == []
    monkeypatch.undo()
    with open_store(db) as store:
        assert store.read("PRAGMA application_id")[0][0] == dbfile.APPLICATION_ID


# ---------------------------------------------------------------- a full disk (item 9)

FULL_DISK = r'''
import json, os, sqlite3, subprocess, sys
home, solution = sys.argv[1], sys.argv[2]
try:
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", home], check=True, capture_output=True)
except (OSError, subprocess.CalledProcessError) as e:
    print(json.dumps({"skip": f"cannot mount a tmpfs: {e}"}))
    sys.exit(0)
env = {**os.environ, "DRILL_HOME": home}

def drill(*args):
    r = subprocess.run([sys.executable, "-m", "drill", *args], capture_output=True, text=True, env=env, timeout=120)
    return {"rc": r.returncode, "out": r.stdout, "err": r.stderr}

def fill(leave):
    fd = os.open(os.path.join(home, f"filler{leave}"), os.O_WRONLY | os.O_CREAT)
    try:
        while os.statvfs(home).f_bavail * os.statvfs(home).f_frsize > leave:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    os.close(fd)

def count():
    con = sqlite3.connect(os.path.join(home, "drill.db"))
    try:
        return [con.execute("PRAGMA integrity_check").fetchone()[0], con.execute("SELECT count(*) FROM attempts").fetchone()[0]]
    finally:
        con.close()

out = {"recorded": [drill("check", "sql/daily-net-flow", solution) for _ in range(3)]}
# Room to open the database, not to commit a 400 KB answer: the commit itself fails.
big = os.path.join(os.path.dirname(solution), "big.sql")
fill(160 * 1024)
out["commit_fails"] = drill("check", "sql/daily-net-flow", big)
out["after_commit_fails"] = count()
fill(0)  # nothing left at all: not even the database's shared-memory file can be made
out["open_fails"] = drill("check", "sql/daily-net-flow", solution)
out["history_when_full"] = drill("history", "--json")
for name in os.listdir(home):
    if name.startswith("filler"):
        os.unlink(os.path.join(home, name))
out["history_after"] = drill("history", "--json")
out["after"] = count()
out["records_again"] = drill("check", "sql/daily-net-flow", solution)
print(json.dumps(out))
'''


def test_a_full_disk_is_named_and_loses_nothing(tmp_path: Path):
    import json
    import subprocess
    import sys

    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("no unshare: cannot mount a small filesystem for the test")
    home = tmp_path / "home"
    home.mkdir()
    answers = tmp_path / "answers"
    answers.mkdir()
    solution = answers / "daily-net-flow.sql"
    solution.write_text(SOLUTION.read_text(encoding="utf-8"), encoding="utf-8")
    (answers / "big.sql").write_text(SOLUTION.read_text(encoding="utf-8") + "\n-- " + "x" * 400_000 + "\n",
                                     encoding="utf-8")
    # A user and mount namespace: the tmpfs is private to the scenario, as root or not.
    r = subprocess.run([unshare, "-Urm", sys.executable, "-c", FULL_DISK, str(home), str(solution)],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0 and not r.stdout.strip():
        pytest.skip(f"unshare -Urm does not work here: {r.stderr.strip()[-200:]}")
    out = json.loads(r.stdout)
    if "skip" in out:
        pytest.skip(out["skip"])
    assert all(x["rc"] == 0 and "Recorded" in x["err"] for x in out["recorded"]), out["recorded"]
    from tests.test_sqljudge import net_flow_cases

    cases = net_flow_cases()
    for step in ("commit_fails", "open_fails"):
        x = out[step]
        assert x["rc"] == 0, (step, x)  # the verdict's exit code: the answer passed
        assert f"passed: all {cases} cases" in x["out"], (step, x)
        assert f"the disk holding DRILL_HOME ({home}) is full" in x["err"], (step, x)
        assert "This attempt was not recorded" in x["err"] and "Traceback" not in x["err"], (step, x)
        assert "cannot rollback" not in x["err"] and "disk I/O error" not in x["err"], (step, x)
    assert out["after_commit_fails"] == ["ok", 3]
    x = out["history_when_full"]
    assert (x["rc"] == 0 and len(json.loads(x["out"])) == 3) or (
        x["rc"] == 2 and "is full" in x["err"]), x
    assert out["history_after"]["rc"] == 0 and len(json.loads(out["history_after"]["out"])) == 3
    assert out["after"] == ["ok", 3]  # intact, and nothing recorded before was lost
    assert out["records_again"]["rc"] == 0 and "Recorded" in out["records_again"]["err"]


def test_the_integrity_check_runs_only_when_the_file_changed_outside_drill(drill_home: Path, monkeypatch):
    checks: list[str] = []
    real_connect = dbfile.connect

    def traced(path, *, readonly=False):
        conn = real_connect(path, readonly=readonly)
        conn.set_trace_callback(lambda sql: checks.append(sql) if "integrity_check" in sql else None)
        return conn

    monkeypatch.setattr(dbfile, "connect", traced)
    db = drill_home / "drill.db"
    make_history(db)  # drill made and wrote it: stamped
    for _ in range(2):
        with open_store(create=False) as store:
            store.attempts()
    with open_store(db) as a, open_store(db) as b:  # a closes last, having written nothing
        record_attempt(b, b.attempts(limit=1)[0])
    assert a is not b
    with open_store(create=False) as store:
        assert store.count_attempts() == 13
    assert checks == []
    con = sqlite3.connect(db)  # another program changes the file
    con.execute("UPDATE attempts SET score = 0 WHERE id = 1")
    con.commit()
    con.close()
    with open_store(create=False) as store:
        store.attempts()
    assert len(checks) == 1  # checked once in full, then trusted again
    with open_store(create=False) as store:
        store.attempts()
    assert len(checks) == 1
