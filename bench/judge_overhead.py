"""How much the code judge costs: `drill check` end to end, and per case.

    python bench/judge_overhead.py [--runs 21]

For an answer that does almost nothing, on a question with 25 small hidden cases:
- `drill check` as a real subprocess (spec cache warm, as when iterating on an answer),
  against `drill --version`, each the median of --runs runs;
- the per-case overhead inside the judge: what each further case adds (send the inputs,
  fork, run, collect, sweep, report), less the answer's own time.
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

CASES = 25


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


def median_run(argv: list[str], env: dict, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def per_case_overhead(mode: str, runs: int) -> tuple[float, float]:
    """(per-case overhead ms, answer ms a case), judging in-process: the median time for
    25 cases minus the median for 1 case, over 24, less the answer's own time."""
    from drill.judge import code as judge

    def spec(n: int):
        return judge.Spec(uid="bench/total", entry="total", is_class=False, cases=[
            judge.Case(f"test-{i}", True, {"args": [list(range(i % 7))], "kwargs": {}}, sum(range(i % 7)))
            for i in range(n)])

    def median_judge(n: int) -> tuple[float, float]:
        times, answer = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            result, _ = judge.judge_spec(spec(n), ANSWER, mode)
            times.append((time.perf_counter() - t0) * 1000)
            assert result.verdict == "passed", result.to_json()
            answer += [c.time_ms for c in result.cases]
        return statistics.median(times), statistics.median(answer)

    one, _ = median_judge(1)
    many, answer_ms = median_judge(CASES)
    return (many - one) / (CASES - 1) - answer_ms, answer_ms


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="drill-bench-judge-"))
    try:
        os.environ["DRILL_HOME"] = str(work / "home")
        env = {**os.environ}
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
        modes = ["none"]
        if sandbox.bwrap_path():
            modes.insert(0, "bwrap")
        version = median_run([*drill, "--version"], env, args.runs)
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; median of {args.runs} runs")
        print(f"drill --version                      {version:7.1f} ms")
        for mode in modes:
            argv = [*drill, "check", "bench/total", str(answer), "--pack", str(pack), "--sandbox", mode, "--json"]
            first = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)  # warms both caches
            if first.returncode != 0:
                print(f"drill check --sandbox {mode}: failed ({first.stderr.strip() or first.stdout[:200]})")
                continue
            data = json.loads(first.stdout)
            compute = sum(c["time_ms"] for c in data["cases"])
            check = median_run(argv, env, args.runs)
            per_case, answer_ms = per_case_overhead(mode, args.runs)
            ratio = (check - compute) / version
            print(f"drill check --sandbox {mode:<5} ({data['sandbox']:<6}) {check:7.1f} ms"
                  f"  = {ratio:.2f}x --version (+ {compute:.1f} ms answer compute; target <= 1.5x)")
            print(f"  per-case overhead, median          {per_case:7.2f} ms"
                  f"  (answer {answer_ms:.3f} ms a case; target <= 5 ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
