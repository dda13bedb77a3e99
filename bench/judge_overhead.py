"""How much the code judge costs: `drill check` end to end, and per case.

    python bench/judge_overhead.py [--runs 21] [--baseline PATH]

For an answer that does almost nothing, on a question with 25 small hidden cases:
- `drill check` as a real subprocess (spec cache warm, as when iterating on an answer),
  against `drill --version`, all interleaved (bench/_timing.py), medians with min-max;
  with `--baseline PATH`, the same check run from another checkout of drill (e.g. the
  main branch, to compare a change), interleaved with the rest;
- the per-case overhead inside the judge: what each further case adds (send the inputs,
  fork, run, collect, sweep, clean, report), the answer's own time included (it is tiny,
  and the judge measures each case from its side of the pipe, overhead and all).
Both sandbox modes are measured (bwrap only where it works). Targets: check at most 1.5x
`drill --version` plus the answer's own compute; at most 5 ms per case (median).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import interleaved, machine_note, ratio

CASES = 25
ROOT = Path(__file__).resolve().parent.parent


def pack_text() -> str:
    lines = ["pack: bench", "title: Judge overhead", "format: 1", "questions:",
             "  - id: total", "    kind: code", "    round: coding", "    title: Total",
             "    prompt: Sum the list.", "    function: total", "    tests:"]
    for i in range(CASES):
        xs = list(range(i % 7))
        lines += [f"      - args: [{json.dumps(xs)}]", f"        expected: {sum(xs)}"]
    return "\n".join(lines) + "\n"


ANSWER = "def total(xs):\n    return sum(xs)\n"


def drill_argv() -> list[str]:
    script = Path(sys.executable).parent / "drill"
    return [str(script)] if script.exists() else [sys.executable, "-m", "drill"]


def per_case_overhead(mode: str, runs: int) -> float:
    """Per-case overhead in ms, judging in-process: the median time for 25 cases minus
    the median for 1 case, over 24."""
    from drill.judge import code as judge

    def spec(n: int):
        return judge.Spec(uid="bench/total", entry="total", is_class=False, cases=[
            judge.Case(f"test-{i}", True, {"args": [list(range(i % 7))], "kwargs": {}}, sum(range(i % 7)))
            for i in range(n)])

    def median_judge(n: int) -> float:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            result, _ = judge.judge_spec(spec(n), ANSWER, mode)
            times.append((time.perf_counter() - t0) * 1000)
            assert result.verdict == "passed", result.to_json()
        return statistics.median(times)

    return (median_judge(CASES) - median_judge(1)) / (CASES - 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--baseline", type=Path, help="another checkout of drill to time the same check with")
    ap.add_argument("--per-case-only", metavar="MODE", help=argparse.SUPPRESS)  # one figure, for --baseline
    args = ap.parse_args()
    if args.per_case_only:
        print(per_case_overhead(args.per_case_only, args.runs))
        return 0
    work = Path(tempfile.mkdtemp(prefix="drill-bench-judge-"))
    # `python -m drill` puts the current folder first on sys.path: run from an empty one, so
    # that each checkout (--baseline) is the one imported.
    os.chdir(work)
    try:
        # The data folder a user gets (~/.local/share/drill), not DRILL_HOME: finding it is
        # part of what a check costs.
        os.environ.pop("DRILL_HOME", None)
        os.environ.pop("XDG_DATA_HOME", None)
        os.environ["HOME"] = str(work / "home")
        pack = work / "bench.yaml"
        pack.write_text(pack_text(), encoding="utf-8")
        answer = work / "answer.py"
        answer.write_text(ANSWER, encoding="utf-8")
        drill = drill_argv()

        import compileall

        from drill.judge import sandbox

        # As an installed wheel would have: bytecode for drill's modules (this environment
        # sets PYTHONDONTWRITEBYTECODE, which would make every run compile them again).
        compileall.compile_dir(os.path.dirname(sandbox.__file__), quiet=1)
        if args.baseline:
            compileall.compile_dir(str(args.baseline / "drill"), quiet=1)
        modes = ["none"]
        if sandbox.bwrap_path():
            modes.insert(0, "bwrap")
        cmds = {"drill --version": [*drill, "--version"]}
        envs: dict[str, dict] = {}
        computes = {}
        for mode in modes:
            argv = [*drill, "check", "bench/total", str(answer), "--pack", str(pack), "--sandbox", mode, "--json"]
            first = subprocess.run(argv, capture_output=True, text=True, check=False)  # warms both caches
            if first.returncode != 0:
                print(f"drill check --sandbox {mode}: failed ({first.stderr.strip() or first.stdout[:200]})")
                continue
            data = json.loads(first.stdout)
            computes[mode] = (data["sandbox"], data.get("bounds", "-"))
            name = f"check --sandbox {mode}"
            cmds[name] = argv
            if args.baseline:
                # Both as `python -m drill` with their checkout first on sys.path: alike; each
                # with a data folder of its own (their caches' formats may differ), warmed.
                for label, root in ((name, ROOT), (f"{name} (baseline)", args.baseline.resolve())):
                    cmds[label] = [sys.executable, "-m", "drill", *argv[len(drill):]]
                    envs[label] = {"PYTHONPATH": str(root), "DRILL_HOME": str(work / f"home-{len(envs)}")}
                    subprocess.run(cmds[label], capture_output=True, env={**os.environ, **envs[label]}, check=False)
        timings = interleaved(cmds, args.runs, envs=envs, check=False)
        print(machine_note(args.runs))
        version = timings["drill --version"]
        print(f"{'drill --version':<42} {version.show()}")
        for name, t in timings.items():
            if name == "drill --version":
                continue
            mode = name.split()[2]
            what = "" if "baseline" in name else " [{} / bounds {}]".format(*computes[mode])
            print(f"{name:<42} {t.show()} = {ratio(t, version)} --version{what}")
        for mode in computes:
            if not args.baseline:
                print(f"per-case overhead, --sandbox {mode:<5} (median) {per_case_overhead(mode, args.runs):7.2f} ms"
                      "  (target <= 5 ms)")
                continue
            # Each checkout in its own process, alternating, so both see the same machine.
            figures: dict[str, list[float]] = {"this": [], "baseline": []}
            for _ in range(3):
                for label, root in (("this", ROOT), ("baseline", args.baseline.resolve())):
                    out = subprocess.run([sys.executable, __file__, "--per-case-only", mode, "--runs",
                                          str(max(3, args.runs // 3))], capture_output=True, text=True,
                                         env={**os.environ, "PYTHONPATH": str(root)}, check=True)
                    figures[label].append(float(out.stdout.strip().splitlines()[-1]))
            print(f"per-case overhead, --sandbox {mode:<5} (median) "
                  + ", ".join(f"{k} {statistics.median(v):.2f} ms ({min(v):.2f}-{max(v):.2f})"
                              for k, v in figures.items()) + "  (target <= 5 ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
