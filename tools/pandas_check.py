"""Check questions/coding-pandas.yaml the way the pandas judge and audit will, before they land.

    .venv/bin/python tools/pandas_check.py                 # references + independents, both str dtypes
    .venv/bin/python tools/pandas_check.py --mutants       # and the mutation audit approximation
    .venv/bin/python tools/pandas_check.py --mutants --only shared-device-velocity -v

For each question:
1. the reference passes every example, hidden test and large case, with string columns
   built as object and as pandas' str dtype, and returns the dtypes its prompt promises;
2. the independent answer under tests/fixtures/independent/coding-pandas/ does too;
3. with --mutants: every mutant of the reference (drill's own operators from
   drill.packs.mutate, plus the pandas operators of tools/pandas_mutants.py) runs on the
   hidden tests (tests + tests_file, not the examples) in a forked child with a time
   limit, stopping at the first failure; the kill rate is reported per question and per
   operator family, with the survivors. Marks in the question's `equivalent_mutants`
   (drill's ids) do not count, as in `drill packs audit`.
"""

from __future__ import annotations

import argparse
import os
import pickle
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_pandas_cases import OUT_DTYPES
from pandas_harness import (
    ROOT,
    build_call,
    check_dtypes,
    load_function,
    load_pack,
    run_case,
    to_plain,
)
from pandas_mutants import pandas_mutants
from pandas_wrong_variants import VARIANTS

from drill.packs.mutate import mutants as drill_mutants

PACK = ROOT / "questions" / "coding-pandas.yaml"
INDEPENDENT = ROOT / "tests" / "fixtures" / "independent" / "coding-pandas"


def run_all(q: dict, fn, cases: list[dict], mode: str) -> list[str]:
    problems = []
    for c in cases:
        bad = run_case(q, fn, c, mode)
        if bad is None:
            args, kwargs = build_call(q, c, mode)
            bad = check_dtypes(q, to_plain(fn(*args, **kwargs)), OUT_DTYPES[q["id"]])
        if bad:
            problems.append(f"{c['name']}: {bad}")
    return problems


def _child_verdict(q: dict, source: str, cases: list[dict]) -> str:
    try:
        fn = load_function(Path("mutant.py"), q["function"], source)
    except Exception as e:
        return f"load: {type(e).__name__}"
    for c in cases:
        bad = run_case(q, fn, c, "object")
        if bad:
            return f"{c['name']}: {bad[:100]}"
    return ""


def run_mutant(q: dict, source: str, cases: list[dict], seconds: float) -> str:
    """'' if the mutant passes every case (survives), else why it was killed."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        try:
            verdict = _child_verdict(q, source, cases)
        except BaseException as e:
            verdict = f"crash: {type(e).__name__}"
        os.write(w, pickle.dumps(verdict))
        os._exit(0)
    os.close(w)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.01)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(r)
        return "timeout"
    data = b""
    while chunk := os.read(r, 1 << 16):
        data += chunk
    os.close(r)
    return pickle.loads(data) if data else "no verdict"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mutants", action="store_true")
    ap.add_argument("--wrong", action="store_true", help="run the plausible wrong answers of pandas_wrong_variants.py")
    ap.add_argument("--only")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every survivor")
    opts = ap.parse_args()

    pack = load_pack(PACK)
    ok = True
    summary = []
    for q in pack["questions"]:
        qid = q["id"]
        if opts.only and qid != opts.only:
            continue
        cases = list(q.get("examples") or []) + q["_hidden"]
        ref_path = ROOT / "solutions" / "coding" / f"{qid}.py"
        ref = load_function(ref_path, q["function"])
        t0 = time.perf_counter()
        problems = run_all(q, ref, cases, "object")
        ref_seconds = time.perf_counter() - t0
        problems += [f"[str dtype] {p}" for p in run_all(q, ref, cases, "str")]
        ind_path = INDEPENDENT / f"{qid}.py"
        ind_note = "no independent"
        if ind_path.exists():
            ind = load_function(ind_path, q["function"])
            t0 = time.perf_counter()
            ind_problems = run_all(q, ind, cases, "object") + [f"[str dtype] {p}" for p in run_all(q, ind, cases, "str")]
            ind_note = f"independent {'ok' if not ind_problems else 'FAILS'} ({time.perf_counter() - t0:.2f}s both modes)"
            problems += [f"[independent] {p}" for p in ind_problems]
        line = (f"{qid}: {len(q.get('examples') or [])} examples, {len(q.get('tests') or [])} tests, "
                f"{len(q['_large'])} large; reference {'ok' if not problems else 'FAILS'} "
                f"({ref_seconds:.2f}s, object mode); {ind_note}")
        print(line)
        for p in problems:
            print("   ", p)
        ok &= not problems
        source = ref_path.read_text(encoding="utf-8")
        if opts.wrong and not problems:
            for name, old, new in VARIANTS.get(qid, []):
                if source.count(old) != 1:
                    print(f"    wrong variant {name}: edit does not apply once")
                    ok = False
                    continue
                verdict = run_mutant(q, source.replace(old, new), q["_hidden"], 60.0)
                print(f"    wrong variant {name:36} {'caught by ' + verdict[:90] if verdict else 'NOT CAUGHT'}")
                ok &= bool(verdict)
        if not opts.mutants or problems:
            continue
        equivalent = {str(m).split()[0] for m in (q.get("equivalent_mutants") or [])}
        seconds = max(10 * ref_seconds + 2.0, 5.0)
        families = {"drill": [0, 0, 0], "pandas": [0, 0, 0]}  # mutants, killed, equivalent
        survivors = []
        muts = [("drill", m.id, m.source, m.diff) for m in drill_mutants(source)]
        muts += [("pandas", m.id, m.source, f"{m.before} → {m.after}") for m in pandas_mutants(source)]
        for family, mid, msrc, diff in muts:
            stats = families[family]
            stats[0] += 1
            if family == "drill" and mid in equivalent:
                stats[2] += 1
                continue
            verdict = run_mutant(q, msrc, q["_hidden"], seconds)
            if verdict:
                stats[1] += 1
            else:
                survivors.append((family, mid, diff))
        for family, (n, killed, eq) in families.items():
            rate = killed / (n - eq) if n - eq else 1.0
            print(f"    {family:6} mutants {n:3d}  killed {killed:3d}  equivalent {eq}  kill rate {rate:.3f}")
        summary.append((qid, families))
        for family, mid, diff in survivors:
            if opts.verbose or family == "drill":
                print(f"      survivor [{family}] {mid}  {diff[:150]}")
        if not opts.verbose:
            hidden = sum(1 for s in survivors if s[0] == "pandas")
            if hidden:
                print(f"      ({hidden} pandas survivors; -v lists them)")
    if summary:
        tot = {"drill": [0, 0, 0], "pandas": [0, 0, 0]}
        for _, fam in summary:
            for k, v in fam.items():
                tot[k] = [a + b for a, b in zip(tot[k], v, strict=True)]
        for k, (n, killed, eq) in tot.items():
            print(f"total {k}: {killed}/{n - eq} killed ({killed / max(1, n - eq):.3f}), {eq} marked equivalent")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
