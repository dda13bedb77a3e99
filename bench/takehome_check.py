"""What judging one take-home (`model`) answer costs: `drill check` against the answer run bare.

    python bench/takehome_check.py [--runs 7] [--sandbox auto|bwrap|none] [--question UID --pack PATH]

By default the question is the first built-in take-home when the built-in packs have one
(its `solution` as the answer), else tests/fixtures/model-pack's card-fraud with its
reference. Interleaved runs of:
- `drill check UID answer.py --no-record` (the sandboxed child imports numpy, pandas and
  scikit-learn, reads the data, runs fit and predict; drill scores the hidden period);
- the bare answer: a plain `python` that imports pandas, reads both files with
  `read_csv` (the test file less its label) and calls fit and predict, with no judge and
  one BLAS/OpenMP thread, as in the judge;
- `drill --version`, drill's own start-up.
Reported: each median with its min-max, `drill check` minus the bare answer (what the
judge adds), and the ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import drill_cmd, interleaved, machine_note

from drill.judge._mlchild import THREAD_VARS

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "model-pack"

BARE = """\
import importlib.util
import sys

import pandas as pd

answer, train_path, test_path, label = sys.argv[1:5]
train = pd.read_csv(train_path, low_memory=False)
test = pd.read_csv(test_path, low_memory=False).drop(columns=[label])
spec = importlib.util.spec_from_file_location("answer", answer)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
scores = module.predict(module.fit(train), test)
assert len(scores) == len(test)
"""


def pick(uid: str | None, pack: str | None):
    """(loaded question, extra pack paths) for the bench."""
    from drill.packs.catalog import load_catalog

    extra = [Path(pack)] if pack else []
    if uid:
        return load_catalog(extra).load(uid), extra
    cat = load_catalog()
    builtin = [s for s in cat.questions if s.kind == "model" and s.available]
    if builtin:
        return cat.load(builtin[0].uid), []
    return load_catalog([FIXTURE]).load("model-fixture/card-fraud"), [FIXTURE]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--sandbox", default="auto")
    ap.add_argument("--question", help="a model question's uid (default: a built-in take-home, else the fixture)")
    ap.add_argument("--pack", help="the pack holding --question, when it is not built in")
    args = ap.parse_args()
    loaded, extra = pick(args.question, args.pack)
    q = loaded.question
    if q.kind != "model" or loaded.solution_path is None:
        raise SystemExit(f"{loaded.uid} is not a take-home with a reference solution")
    folder = loaded.pack_path.parent
    packs = [a for p in extra for a in ("--pack", str(p))]
    with tempfile.TemporaryDirectory(prefix="drill-bench-") as home:
        bare = Path(home) / "bare.py"
        bare.write_text(BARE, encoding="utf-8")
        env = {"DRILL_HOME": home}
        cmds = {
            "drill check": drill_cmd("check", loaded.uid, str(loaded.solution_path), "--no-record",
                                     "--sandbox", args.sandbox, *packs),
            "bare answer": [sys.executable, str(bare), str(loaded.solution_path), str(folder / q.dataset.train),
                            str(folder / q.dataset.test), q.dataset.label],
            "drill --version": drill_cmd("--version"),
        }
        # drill check exits 1 when the answer misses the target; the time counts all the same.
        # The judge runs the answer with one BLAS/OpenMP thread (drill/judge/_mlchild.py): so does the bare run.
        single = {var: "1" for var in THREAD_VARS}
        t = interleaved(cmds, runs=args.runs, env=env, warmup=1, envs={"bare answer": single},
                        check={"drill check": False, "bare answer": True, "drill --version": True})
    print(f"take-home {loaded.uid} ({q.metric.name}), answer {loaded.solution_path.name}, sandbox {args.sandbox}")
    print(machine_note(args.runs))
    for name, timing in t.items():
        print(f"  {name:<16} {timing.show()}")
    check, base = t["drill check"], t["bare answer"]
    added = sorted(a - b for a, b in zip(check.times, base.times, strict=True))
    print(f"  judging adds    {check.median - base.median:8.1f} ms over the bare answer "
          f"(per-run {added[0]:.0f} to {added[-1]:.0f} ms); ratio {check.median / base.median:.2f}x")
    print(f"  (cpu count {os.cpu_count()})")


if __name__ == "__main__":
    main()
