"""What judging a numpy or pandas answer costs: `drill check` against its floor.

    python bench/ml_check.py [--runs 21] [--sandbox auto|bwrap|none]

Two questions of 25 hidden cases each, answered correctly:
- numpy: row-normalise a float64 array (the answer imports numpy);
- pandas: per-account totals of a small events DataFrame (the answer imports pandas).
Each `drill check` (spec cache warm, as when iterating on an answer) runs interleaved with
`drill --version` and `python -c "import numpy"` (or `"import pandas"`), and is reported
against their sum: the floor of any judge that starts drill and then imports the package.
Goal: at most 1.5x for both (issue #14). Cases run in the judge's forks after one import;
the ratio is also shown less the answer's own compute (the sum of its case times), as
bench/judge_overhead.py does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import drill_cmd, interleaved, machine_note

CASES = 25

NUMPY_ANSWER = """\
import numpy as np


def normalize(x):
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)
"""

PANDAS_ANSWER = """\
import pandas as pd


def totals(events):
    g = events.groupby("account_id", as_index=False)["amount"].sum()
    return g.rename(columns={"amount": "total"})
"""


def numpy_question() -> dict:
    tests = []
    for i in range(CASES):
        rows = [[float(i + j), float(j - i), 1.0] for j in range(i % 5 + 1)]
        expected = []
        for r in rows:
            n = sum(v * v for v in r) ** 0.5
            expected.append([v / n for v in r])
        tests.append({"args": [rows], "expected": expected})
    return {"id": "normalize", "kind": "code", "round": "coding", "title": "Row norms",
            "prompt": "Scale each row to unit length. You may use numpy (imported as np).",
            "function": "normalize", "requires": ["numpy"],
            "arguments": {"x": {"type": "array", "dtype": "float64"}},
            "returns": {"type": "array", "dtype": "float64"}, "tests": tests}


def pandas_question() -> dict:
    tests = []
    for i in range(CASES):
        rows = [{"account_id": j % 3, "ts": f"2024-01-{j + 1:02d}T00:00:00", "amount": float(j + i)}
                for j in range(i % 6 + 1)]
        sums: dict[int, float] = {}
        for r in rows:
            sums[r["account_id"]] = sums.get(r["account_id"], 0.0) + r["amount"]
        tests.append({"args": [rows], "expected": {"columns": ["account_id", "total"],
                                                   "data": [[k, v] for k, v in sorted(sums.items())]}})
    return {"id": "totals", "kind": "code", "round": "coding", "title": "Totals",
            "prompt": "Total amount per account. You may use pandas and numpy.",
            "function": "totals", "requires": ["pandas", "numpy"],
            "arguments": {"events": {"type": "dataframe",
                                     "columns": {"account_id": "int64", "ts": "datetime64[ns]",
                                                 "amount": "float64"}}},
            "returns": {"type": "dataframe"}, "tests": tests}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--sandbox", default="auto")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="drill-bench-ml-"))
    try:
        env = {"DRILL_HOME": str(work / "home")}
        pack = work / "ml.yaml"
        pack.write_text(json.dumps({"pack": "bench-ml", "title": "ML judge bench", "format": 1,
                                    "questions": [numpy_question(), pandas_question()]}), encoding="utf-8")
        print(machine_note(args.runs))
        for uid, answer_text, module in (("bench-ml/normalize", NUMPY_ANSWER, "numpy"),
                                         ("bench-ml/totals", PANDAS_ANSWER, "pandas")):
            answer = work / f"{module}_answer.py"
            answer.write_text(answer_text, encoding="utf-8")
            check = drill_cmd("check", uid, str(answer), "--pack", str(pack), "--sandbox", args.sandbox,
                              "--json", "--no-record")
            first = subprocess.run(check, capture_output=True, text=True, env={**os.environ, **env}, check=False)
            if first.returncode != 0:
                print(f"{uid}: drill check failed: {first.stderr.strip() or first.stdout[:300]}")
                return 1
            data = json.loads(first.stdout)
            compute = sum(c["time_ms"] for c in data["cases"])
            t = interleaved({"check": check, "version": drill_cmd("--version"),
                             "import": [sys.executable, "-c", f"import {module}"]}, args.runs, env)
            floor = [v + i for v, i in zip(t["version"].times, t["import"].times, strict=True)]
            per_run = [c / f for c, f in zip(t["check"].times, floor, strict=True)]
            ratio = t["check"].median / (t["version"].median + t["import"].median)
            # As bench/judge_overhead.py: the answer's own compute (here pandas' groupby in
            # each case) is the answer's, not the judge's.
            net = (t["check"].median - compute) / (t["version"].median + t["import"].median)
            print(f"\n{uid} ({data['sandbox']}, {data['total']} cases, answer compute {compute:.1f} ms)")
            print(f"  drill check                  {t['check'].show()}")
            print(f"  drill --version              {t['version'].show()}")
            print(f"  python -c 'import {module}'{' ' * (7 - len(module))}   {t['import'].show()}")
            print(f"  check / (version + import)   {ratio:.2f}x (per-run {min(per_run):.2f}-{max(per_run):.2f}x;"
                  f" less the answer's compute {net:.2f}x; goal <= 1.5x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
