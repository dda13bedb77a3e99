"""Real processes against one database: parallel writers, and a writer killed mid-record."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from drill.progress import migrations

WRITER = r"""
import sys
from datetime import UTC, datetime, timedelta
from drill.progress.record import record_attempt
from drill.progress.store import Attempt, open_store

path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = datetime(2026, 11, 1, tzinfo=UTC)
with open_store(path, fuzz=False) as s:
    i = 0
    while count < 0 or i < count:
        at = t0 + timedelta(minutes=i)
        a = Attempt(uid=f"p/q{i % 5}", pack="p", round="coding", kind="code", difficulty="easy",
                    tags=("arrays", name), started_at=at - timedelta(minutes=3), ended_at=at,
                    score=(i % 10) / 9, verdict="passed", answer=f"{name} {i} " + "x" * 2000)
        record_attempt(s, a)
        i += 1
        print(i, flush=True)
"""


def spawn(db: Path, name: str, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(db), name, str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_record_at_once_without_losing_anything(tmp_path: Path):
    db = tmp_path / "drill.db"  # not created yet: both race to create and migrate it
    procs = [spawn(db, "alpha", 200), spawn(db, "beta", 200)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "locked" not in err
        assert out.split()[-1] == "200"
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM attempts").fetchone()[0] == 400
    by_writer = dict(con.execute(
        "SELECT tag, count(*) FROM attempt_tags WHERE tag IN ('alpha', 'beta') GROUP BY tag").fetchall())
    assert by_writer == {"alpha": 200, "beta": 200}
    # Every attempt reviewed its card exactly once, even with both writers on the same cards.
    assert con.execute("SELECT count(*) FROM review_logs").fetchone()[0] == 400
    assert con.execute("SELECT sum(reviews) FROM cards").fetchone()[0] == 400
    assert con.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(migrations.MIGRATIONS)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sigkill_mid_recording_loses_at_most_the_attempt_in_flight(tmp_path: Path):
    db = tmp_path / "drill.db"
    confirmed = 0
    for round_no, kill_after in enumerate((40, 75, 130)):
        p = spawn(db, f"run{round_no}", -1)
        assert p.stdout is not None
        last = 0
        while last < kill_after:
            line = p.stdout.readline()
            assert line, p.stderr.read() if p.stderr else ""
            last = int(line)
        time.sleep(0.003 * round_no)  # land the kill at different points of a record
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=30)
        # The writer may have committed a few more after its last line was read, never fewer.
        confirmed += last
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = con.execute("SELECT count(*) FROM attempts").fetchone()[0]
        assert n >= confirmed
        # Attempt, card update and review log commit together or not at all.
        assert con.execute("SELECT count(*) FROM review_logs").fetchone()[0] == n
        assert con.execute("SELECT sum(reviews) FROM cards").fetchone()[0] == n
        assert con.execute(
            "SELECT count(*) FROM attempts a LEFT JOIN review_logs r ON r.attempt_id = a.id "
            "WHERE r.id IS NULL").fetchone()[0] == 0
        con.close()
        confirmed = n
