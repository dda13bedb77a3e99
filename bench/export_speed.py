"""How fast `drill export` is, and how much memory it holds, over a long history.

    python bench/export_speed.py [--attempts 100000] [--runs 9]

Builds a throw-away DRILL_HOME with --attempts attempts (a mix as a real history has it:
judged code and SQL checks with per-case results, self-graded open answers with rubric
marks, choice and numeric answers), then runs, interleaved with the order rotated
(bench/_timing.py):
- `drill export --format json -o FILE` and `--format csv`;
- a plain script that reads the same rows with sqlite3 and writes the same records with
  json (each attempt's JSON columns parsed, as the export has them) or csv.
Targets: each export at most 1.5x its plain script. Then the peak resident memory of each
export over --attempts and over a tenth of them (the rows are streamed: it should barely
grow).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import drill_cmd, interleaved, machine_note, ratio

BUILD = r"""
import random, sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from drill.progress.store import _ATTEMPT_COLS, Attempt, _attempt_row, open_store

home, n = Path(sys.argv[1]), int(sys.argv[2])
rng = random.Random(5)
now = datetime.now(UTC)
words = "the model drifts when the feature pipeline lags behind the label stream".split()
rows, tags = [], []
for k in range(n):
    kind = rng.choice(["code", "code", "sql", "open", "choice", "numeric"])
    at = now - timedelta(days=180 * (1 - k / n), seconds=rng.randrange(3600))
    cases = rubric = None
    if kind in ("code", "sql"):
        cases = [{"name": f"test-{i}", "hidden": i > 1, "status": rng.choice(["passed", "passed", "wrong_answer"]),
                  "time_ms": round(rng.uniform(0.5, 40), 3), "message": ""} for i in range(rng.choice([8, 12, 25]))]
    if kind == "open":
        rubric = [{"point": " ".join(rng.sample(words, 6)), "weight": 1.0, "must": i == 0, "hit": rng.random() < 0.6}
                  for i in range(5)]
    answer = {"code": "def f(xs):\n    return sorted(xs)[-3:]\n" * 6, "sql": "SELECT account_id, SUM(amount) FROM t GROUP BY 1",
              "open": " ".join(rng.choice(words) for _ in range(120)), "choice": "b", "numeric": "0.25"}[kind]
    a = Attempt(uid=f"bench/q{rng.randrange(1000):04d}", pack="bench", round=rng.choice(["coding", "sql", "mlops"]),
                kind=kind, difficulty=rng.choice(["easy", "medium", "hard"]), tags=tuple(rng.sample(["a", "b", "c", "d"], 2)),
                started_at=at - timedelta(minutes=rng.randrange(1, 40)), ended_at=at, score=rng.random(),
                verdict=rng.choice(["passed", "failed", "self-graded"]), budget_seconds=rng.choice([None, 900.0]),
                cases=cases, rubric=rubric, hints_used=rng.randrange(3), answer=answer, skipped=rng.random() < 0.05,
                session_id=rng.choice([None, 1, 2]), cram=rng.random() < 0.1)  # sessions 1 and 2 are made below
    row = _attempt_row(a)
    rows.append(row)
    tags.append([(t, a.round, row[7], a.score, row[-1]) for t in a.tags])
home.mkdir(parents=True, exist_ok=True)
with open_store(home / "drill.db") as store:
    sessions = [store.start_session("coding", {}), store.start_session("sql", {})]
with open_store(home / "drill.db") as store, store._write() as db:
    db.executemany(f"INSERT INTO attempts ({', '.join(_ATTEMPT_COLS)}) VALUES ({', '.join('?' * len(_ATTEMPT_COLS))})", rows)
    db.executemany("INSERT INTO attempt_tags (tag, attempt_id, round, ended_at, score, wt) VALUES (?, ?, ?, ?, ?, ?)",
                   [(t[0], i + 1, *t[1:]) for i, ts in enumerate(tags) for t in ts])
"""

# The same records, written as plainly as Python allows: no validation, no escaping.
PLAIN = r"""
import csv, json, sqlite3, sys
db, fmt, out = sys.argv[1:4]
conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
cols = ["uid", "pack", "round", "kind", "difficulty", "tags", "started_at", "ended_at", "score", "verdict", "seconds",
        "budget_seconds", "cases", "rubric", "hints_used", "answer", "skipped", "session_id", "cram", "id"]
rows = conn.execute(f"SELECT {', '.join(cols)} FROM attempts ORDER BY ended_at, id")
with open(out, "w", encoding="utf-8", newline="") as f:
    if fmt == "json":
        f.write('{"format": "drill-attempts", "version": 1, "attempts": [')
        for i, r in enumerate(rows):
            d = dict(zip(cols, r))
            d["tags"] = json.loads(d["tags"])
            for k in ("cases", "rubric"):
                if d[k] is not None:
                    d[k] = json.loads(d[k])
            d["skipped"], d["cram"] = bool(d["skipped"]), bool(d["cram"])
            f.write(("\n  " if i == 0 else ",\n  ") + json.dumps(d, ensure_ascii=False))
        f.write("\n]}\n")
    else:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            r = list(r)
            r[5] = ";".join(json.loads(r[5]))
            w.writerow(["" if v is None else v for v in r])
"""

PEAK = r"""
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(usage.ru_maxrss)  # KB on Linux
"""


def build(home: Path, n: int) -> None:
    subprocess.run([sys.executable, "-c", BUILD, str(home), str(n)], check=True)


def peak_kb(cmd: list[str], env: dict) -> int:
    r = subprocess.run([sys.executable, "-c", PEAK, *cmd], capture_output=True, text=True, check=True,
                       env={**os.environ, **env})
    return int(r.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--attempts", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="drill-bench-export-"))
    try:
        big, small = work / "big", work / "small"
        build(big, args.attempts)
        build(small, args.attempts // 10)
        env = {"DRILL_HOME": str(big)}
        out = work / "out"
        cmds = {}
        for fmt in ("json", "csv"):
            cmds[f"drill export --format {fmt}"] = drill_cmd("export", "--format", fmt, "-o", str(out))
            cmds[f"plain sqlite3 + {fmt} script"] = [sys.executable, "-c", PLAIN, str(big / "drill.db"), fmt, str(out)]
        t = interleaved(cmds, args.runs, env=env, warmup=1)
        print(f"{args.attempts:,} attempts ({(big / 'drill.db').stat().st_size / 1e6:.0f} MB database); "
              + machine_note(args.runs))
        for fmt in ("json", "csv"):
            mine, plain = t[f"drill export --format {fmt}"], t[f"plain sqlite3 + {fmt} script"]
            print(f"drill export --format {fmt:<5} {mine.show()}")
            print(f"plain sqlite3 + {fmt:<4} script  {plain.show()}")
            print(f"  = {ratio(mine, plain)} the plain script (target <= 1.5x)")
        for fmt in ("json", "csv"):
            peaks = [peak_kb(drill_cmd("export", "--format", fmt, "-o", str(out)), {"DRILL_HOME": str(home)})
                     for home in (small, big)]
            print(f"peak RSS, export --format {fmt}: {peaks[0] / 1024:.0f} MB over {args.attempts // 10:,} attempts, "
                  f"{peaks[1] / 1024:.0f} MB over {args.attempts:,}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
