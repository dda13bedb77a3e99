"""The same commands on two checkouts of drill, interleaved: did a change slow start-up?

    python bench/compare_checkouts.py --base DIR [--runs 15] [--attempts 100000]

DIR is another checkout of drill, e.g. the commit before a change:
`git archive <commit> | tar -x -C DIR`. Each command runs as `python -m drill` with
PYTHONPATH set to one tree or the other, turn about (bench/_timing.interleaved), each tree
with its own DRILL_HOME holding the same data:
- `drill --version`;
- `drill list` over the built-in packs (catalogue cache warm);
- `drill check` on a code question with 25 small hidden cases (--sandbox none, and bwrap
  where it works), recorded into a small history;
- `drill check` on the built-in sql/daily-net-flow with its reference, recorded;
- `drill report` over a history of --attempts attempts on 1,000 questions (built once
  with the base tree's store; the head tree migrates its copy once before timing).
Figures are medians with min-max; a shared machine makes them noisy, hence interleaving.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import interleaved, machine_note
from judge_overhead import ANSWER, pack_text

HEAD = Path(__file__).resolve().parent.parent

BUILD_HISTORY = r"""
import random, sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from drill.progress.store import _ATTEMPT_COLS, Attempt, _attempt_row, open_store

home, n, questions = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rounds = ["coding", "sql", "system-design", "mlops", "ml-modeling", "stats"]
rng = random.Random(5)
lines = ["pack: bench", "title: Generated", "format: 1", "questions:"]
qs = []
for i in range(questions):
    q = {"id": f"q{i:04d}", "round": rounds[i % len(rounds)], "tags": rng.sample([f"t{k}" for k in range(60)], 3)}
    qs.append(q)
    lines += [f"  - id: {q['id']}", "    kind: numeric", f"    round: {q['round']}", f"    title: Q {i}",
              f"    tags: [{', '.join(q['tags'])}]", f"    prompt: {i} plus one?", f"    answer: {i + 1}"]
(home / "packs").mkdir(parents=True, exist_ok=True)
(home / "packs" / "bench.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
now = datetime.now(UTC)
rows, tags = [], []
for k in range(n):
    q = qs[rng.randrange(len(qs))]
    at = now - timedelta(days=180 * (1 - k / n))
    a = Attempt(uid=f"bench/{q['id']}", pack="bench", round=q["round"], kind="numeric", difficulty="medium",
                tags=tuple(q["tags"]), started_at=at - timedelta(minutes=4), ended_at=at, score=rng.random(),
                verdict="graded", budget_seconds=300, answer="42")
    row = _attempt_row(a)
    rows.append(row)
    tags.append([(t, a.round, row[7], a.score, row[-1]) for t in a.tags])
with open_store(home / "drill.db") as store, store._write() as db:
    db.executemany(f"INSERT INTO attempts ({', '.join(_ATTEMPT_COLS)}) VALUES ({', '.join('?' * len(_ATTEMPT_COLS))})", rows)
    db.executemany("INSERT INTO attempt_tags (tag, attempt_id, round, ended_at, score, wt) VALUES (?, ?, ?, ?, ?, ?)",
                   [(t[0], i + 1, *t[1:]) for i, ts in enumerate(tags) for t in ts])
"""


def run(tree: Path, home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree), "DRILL_HOME": str(home)}
    r = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env)
    if check and r.returncode != 0:
        sys.exit(f"{' '.join(args)} under {tree} failed: {r.stderr[-800:]}")
    return r


def bwrap_works() -> bool:
    bwrap = shutil.which("bwrap")
    return bool(bwrap) and subprocess.run([bwrap, "--unshare-pid", "--ro-bind", "/", "/", "true"],
                                          capture_output=True).returncode == 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, required=True, help="the other checkout of drill")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--attempts", type=int, default=100_000)
    args = ap.parse_args()
    trees = {"base": args.base.resolve(), "head": HEAD}
    work = Path(tempfile.mkdtemp(prefix="drill-compare-"))
    os.chdir(work)  # `python -m` and `-c` put the current folder first on sys.path
    for tree in trees.values():
        if not (tree / "drill" / "cli.py").is_file():
            sys.exit(f"{tree} is not a drill checkout")
        compileall.compile_dir(str(tree / "drill"), quiet=1)  # as an installed wheel would have
        where = run(tree, work, "-c", "import drill; print(drill.__file__)").stdout
        if not where.startswith(str(tree)):
            sys.exit(f"PYTHONPATH={tree} still imports drill from {where.strip()}")
    try:
        pack = work / "judge.yaml"
        pack.write_text(pack_text(), encoding="utf-8")
        answer = work / "answer.py"
        answer.write_text(ANSWER, encoding="utf-8")
        sql = HEAD / "solutions" / "sql" / "daily-net-flow.sql"
        big = work / "big-base"
        run(trees["base"], big, "-c", BUILD_HISTORY, str(big), str(args.attempts), "1000")
        shutil.copytree(big, work / "big-head")
        run(trees["head"], work / "big-head", "-c", "from drill.progress.store import open_store; open_store().close()")

        commands: dict[str, list[str]] = {}
        envs: dict[str, dict] = {}
        modes = ["none"] + (["bwrap"] if bwrap_works() else [])
        for name, tree in trees.items():
            small = work / f"small-{name}"
            def add(label: str, argv: list[str], home: Path, tree: Path = tree, name: str = name) -> None:
                key = f"{label} [{name}]"
                commands[key] = [sys.executable, "-m", "drill", *argv]
                envs[key] = {"PYTHONPATH": str(tree), "DRILL_HOME": str(home)}
                run(tree, home, "-m", "drill", *argv, check=False)  # warm caches once
            add("--version", ["--version"], small)
            add("list", ["list"], small)
            for mode in modes:
                add(f"check code --sandbox {mode}", ["check", "bench/total", str(answer), "--pack", str(pack),
                                                     "--sandbox", mode], small)
            add("check sql", ["check", "sql/daily-net-flow", str(sql)], small)
            add(f"report ({args.attempts:,} attempts)", ["report"], work / f"big-{name}")
        times = interleaved(commands, runs=args.runs, envs=envs, warmup=1)
        print(machine_note(args.runs))
        labels = list(dict.fromkeys(k.rsplit(" [", 1)[0] for k in commands))
        print(f"{'command':<40} {'base':>28} {'head':>28}  head/base")
        for label in labels:
            a, b = times[f"{label} [base]"], times[f"{label} [head]"]
            print(f"{label:<40} {a.show():>28} {b.show():>28}  {b.median / a.median:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
