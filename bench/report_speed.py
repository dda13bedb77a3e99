"""How fast `drill report` is over a long history, and what recording one attempt costs.

    python bench/report_speed.py [--attempts 100000] [--questions 1000] [--runs 7]

Builds a throw-away DRILL_HOME with one generated pack of N questions and a
history of M attempts over the last 180 days (bulk-inserted, then the last
1,000 recorded through `drill.progress.record.record_attempt`, which is what gets timed), then
times `drill --version`, `drill report`, `drill report --json` and `drill` in
fresh processes, interleaved with the order rotated (bench/_timing.py). Targets: report <= version + 0.5 s; one record <= 10 ms.
Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import drill_cmd, interleaved, machine_note

ROUNDS = ["coding", "sql", "system-design", "mlops", "ml-modeling", "data-pipelines",
          "deep-learning", "llm-safety", "behavioral", "stats"]
TAGS = [f"topic-{i}" for i in range(60)]


def make_pack(path: Path, n: int, rng: random.Random) -> list[dict]:
    qs, lines = [], ["pack: bench", "title: Generated for the benchmark", "format: 1", "questions:"]
    for i in range(n):
        q = {"id": f"q{i:04d}", "round": ROUNDS[i % len(ROUNDS)], "tags": rng.sample(TAGS, 3)}
        qs.append(q)
        lines += [
            f"  - id: {q['id']}", "    kind: numeric", f"    round: {q['round']}",
            f"    title: Generated question {i}", f"    tags: [{', '.join(q['tags'])}]",
            f"    prompt: What is {i} plus one?", f"    answer: {i + 1}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return qs


def make_history(home: Path, attempts: int, questions: int, seed: int = 5) -> dict:
    """A DRILL_HOME with a generated pack and `attempts` attempts over the last 180 days:
    bulk-inserted, then the last 1,000 recorded through record_attempt (timed)."""
    rng = random.Random(seed)
    os.environ["DRILL_HOME"] = str(home)
    (home / "packs").mkdir(parents=True, exist_ok=True)
    qs = make_pack(home / "packs" / "bench.yaml", questions, rng)

    from drill.progress.record import record_attempt
    from drill.progress.record import scheduler as record_scheduler
    from drill.progress.store import _ATTEMPT_COLS, Attempt, _attempt_row, open_store

    now = datetime.now(UTC)
    recorded = min(1_000, attempts)
    bulk = attempts - recorded

    def gen(k: int, at: datetime) -> Attempt:
        q = qs[k % len(qs)]
        return Attempt(uid=f"bench/{q['id']}", pack="bench", round=q["round"], kind="numeric",
                       difficulty="medium", tags=tuple(q["tags"]), started_at=at - timedelta(minutes=4),
                       ended_at=at, score=rng.random(), verdict="graded", budget_seconds=300,
                       answer="42")

    t = time.perf_counter()
    with open_store() as store:
        rows, tag_rows = [], []
        for k in range(bulk):
            a = gen(rng.randrange(len(qs)), now - timedelta(days=180 * (1 - k / max(bulk, 1))))
            row = _attempt_row(a)
            rows.append(row)
            tag_rows.append([(t, a.round, row[7], a.score, row[-1]) for t in a.tags])
        with store._write() as db:
            first = (db.execute("SELECT coalesce(max(id), 0) FROM attempts").fetchone()[0]) + 1
            db.executemany(f"INSERT INTO attempts ({', '.join(_ATTEMPT_COLS)}) VALUES "
                           f"({', '.join('?' * len(_ATTEMPT_COLS))})", rows)
            db.executemany("INSERT INTO attempt_tags (tag, attempt_id, round, ended_at, score, wt) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           [(t[0], first + i, *t[1:]) for i, tags in enumerate(tag_rows) for t in tags])
        build_s = time.perf_counter() - t
        record_scheduler(fuzz=store.fuzz)  # fsrs imported once, as in a session, before timing records
        costs = []
        for k in range(recorded):
            a = gen(k, now - timedelta(minutes=recorded - k))
            t = time.perf_counter()
            record_attempt(store, a)
            costs.append((time.perf_counter() - t) * 1000)
        total = store.count_attempts()
    costs.sort()
    return {"total": total, "build_s": build_s, "costs": costs,
            "db_mb": (home / "drill.db").stat().st_size / 1e6}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--attempts", type=int, default=100_000)
    ap.add_argument("--questions", type=int, default=1_000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--keep", action="store_true", help="keep the generated data folder")
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="drill-bench-"))
    try:
        h = make_history(home, args.attempts, args.questions)
        costs = h["costs"]
        env = {"DRILL_HOME": str(home), "COLUMNS": "100"}
        cmds = {"drill --version": drill_cmd("--version"), "drill report": drill_cmd("report"),
                "drill report --json": drill_cmd("report", "--json"), "drill (dashboard)": drill_cmd()}
        t = interleaved(cmds, runs=args.runs, env=env)  # its warm-up builds the catalogue cache
        print(f"history: {h['total']} attempts, {args.questions} questions, db {h['db_mb']:.1f} MB "
              f"(bulk insert {h['build_s']:.1f} s)")
        print(machine_note(args.runs))
        print(f"record_attempt: median {statistics.median(costs):.2f} ms, p95 {costs[int(len(costs) * .95)]:.2f} ms, "
              f"max {costs[-1]:.2f} ms over {len(costs)}  (target <= 10 ms)")
        version = t["drill --version"]
        for name, timing in t.items():
            line = f"{name:<22} {timing.show()}"
            if name != "drill --version":
                extra = sorted(a - b for a, b in zip(timing.times, version.times, strict=True))
                line += (f"  = +{(timing.median - version.median) / 1000:.3f} s over --version "
                         f"(per-run +{extra[0] / 1000:.3f} to +{extra[-1] / 1000:.3f} s)")
                if name == "drill report":
                    line += "; target <= +0.5 s"
            print(line)
    finally:
        if args.keep:
            print(f"(data kept in {home})")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
