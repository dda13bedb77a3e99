"""How much `drill check` costs on an SQL question: against `drill --version`.

    python bench/sql_check.py [--runs 21]

A question with 10 small datasets (2 visible, 8 hidden, 30 rows each, over two tables),
checked with a right answer as a real subprocess, recording the attempt, with the spec
cache warm (as when iterating on an answer), interleaved with `drill --version` and with a
bare script that does the same work with sqlite3 alone (10 in-memory databases: schema,
rows, the query), order rotated each round (bench/_timing.py). Target: the check at most
1.5x `drill --version`.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import drill_cmd, interleaved, machine_note, ratio

SCHEMA = ("CREATE TABLE accounts (id INTEGER PRIMARY KEY, country TEXT);\n"
          "CREATE TABLE transfers (id INTEGER PRIMARY KEY, account_id INTEGER, amount REAL);")
QUERY = ("SELECT a.country, COUNT(*), ROUND(SUM(t.amount), 2) FROM transfers t "
         "JOIN accounts a ON a.id = t.account_id GROUP BY a.country")
DATASETS = 10


def datasets(rng: random.Random) -> list[dict]:
    import sqlite3

    out = []
    for _ in range(DATASETS):
        accounts = [[i, rng.choice(["DE", "FR", "US", "SG"])] for i in range(1, 11)]
        transfers = [[i, rng.randrange(1, 11), round(rng.uniform(1, 500), 2)] for i in range(1, 21)]
        db = sqlite3.connect(":memory:")
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO accounts VALUES (?, ?)", accounts)
        db.executemany("INSERT INTO transfers VALUES (?, ?, ?)", transfers)
        expected = [list(r) for r in db.execute(QUERY)]
        out.append({"data": {"accounts": accounts, "transfers": transfers}, "expected": expected})
    return out


def write_pack(path: Path) -> None:
    import json

    cases = datasets(random.Random(11))
    lines = ["pack: bench-sql", "title: SQL check", "format: 1", "questions:",
             "  - id: totals", "    kind: sql", "    round: sql", "    title: Totals per country",
             "    prompt: Count and total the transfers per country.",
             "    schema: |", *[f"      {ln}" for ln in SCHEMA.splitlines()],
             "    examples:", *[f"      - {json.dumps(c)}" for c in cases[:2]],
             "    tests:", *[f"      - {json.dumps(c)}" for c in cases[2:]]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


BARE = r"""
import json, sqlite3, sys
pack = json.load(open(sys.argv[1]))
query = open(sys.argv[2]).read()
for case in pack:
    db = sqlite3.connect(":memory:")
    db.executescript(sys.argv[3])
    for table, rows in case["data"].items():
        db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    rows = [list(r) for r in db.execute(query)]
    assert sorted(map(repr, rows)) == sorted(map(repr, case["expected"])), (rows, case["expected"])
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="drill-bench-sql-"))
    try:
        env = {"DRILL_HOME": str(work / "home")}
        pack = work / "pack.yaml"
        write_pack(pack)
        answer = work / "answer.sql"
        answer.write_text(QUERY + "\n", encoding="utf-8")
        import json

        (work / "cases.json").write_text(json.dumps(datasets(random.Random(11))), encoding="utf-8")
        check = drill_cmd("check", "bench-sql/totals", str(answer), "--pack", str(pack))
        first = subprocess.run(check, capture_output=True, text=True, env={**os.environ, **env})
        if first.returncode != 0:  # also warms the catalogue and spec caches
            raise SystemExit(f"the check failed: {first.stderr.strip() or first.stdout[-500:]}")
        cmds = {"drill --version": drill_cmd("--version"), "drill check (sql, 10 datasets)": check,
                "bare sqlite3 script": [sys.executable, "-c", BARE, str(work / "cases.json"), str(answer), SCHEMA]}
        t = interleaved(cmds, args.runs, env=env)
        print(machine_note(args.runs))
        version = t["drill --version"]
        for name, timing in t.items():
            note = "" if timing is version else f" = {ratio(timing, version)} --version"
            print(f"{name:<34} {timing.show()}{note}")
        print("target: the check <= 1.5x --version")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
