"""What large hidden inputs cost `drill check`: the wire codec and the spec cache.

    python bench/large_inputs.py [--runs 21] [--kb 1000]

Two packs with the same question (`total(xs)`, 10 hidden cases in a tests file): one
with tiny lists, one whose tests file holds about --kb KB of ints and floats. Both checks
run as real subprocesses (spec cache warm, recording the attempt), interleaved with the
order rotated (bench/_timing.py), with `--sandbox none` (and bwrap where it works).
Target: the large check within 1.3x of (the tiny check + the time `json.loads` takes on
the large tests file, timed here in this process). Also prints the codec alone on the
same data: decoding and encoding the inputs against json.loads and json.dumps.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import drill_cmd, interleaved, machine_note

CASES = 10
ANSWER = "def total(xs):\n    return sum(xs)\n"


def cases(kb: int, rng: random.Random) -> list[dict]:
    """CASES cases, together about `kb` KB of JSON when kb > 0 (else tiny lists):
    half lists of ints, half lists of floats."""
    out = []
    for i in range(CASES):
        if kb <= 0:
            xs: list = list(range(i % 7))
        elif i % 2:
            xs = [rng.randrange(-10**6, 10**6) for _ in range(kb * 1000 // CASES // 8)]
        else:
            xs = [round(rng.uniform(-1e3, 1e3), rng.randrange(1, 12)) for _ in range(kb * 1000 // CASES // 14)]
        out.append({"name": f"big-{i}", "args": [xs], "expected": sum(xs)})
    return out


def write_pack(folder: Path, pid: str, kb: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tests.json").write_text(json.dumps(cases(kb, random.Random(7))), encoding="utf-8")
    pack = folder / "pack.yaml"
    pack.write_text("\n".join([
        f"pack: {pid}", "title: Large inputs", "format: 1", "questions:",
        "  - id: total", "    kind: code", "    round: coding", "    title: Total",
        "    prompt: Sum the list.", "    function: total", "    tests_file: tests.json",
        "    compare:", "      rel_tol: 1.0e-6", "      abs_tol: 1.0e-6",
    ]) + "\n", encoding="utf-8")
    return pack


def best_of(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times


def show(name: str, times: list[float]) -> str:
    return f"{name:<44} {statistics.median(times):7.1f} ms (min {min(times):.1f}, max {max(times):.1f})"


def codec(text: str, runs: int) -> None:
    from drill.judge._runner import from_wire, to_wire

    data = json.loads(text)
    inputs = [{"args": c["args"], "kwargs": {}} for c in data]
    wires = [to_wire(v) for v in inputs]
    print(show("json.loads (tests file)", best_of(lambda: json.loads(text), runs)))
    print(show("json.dumps (the cases' inputs)", best_of(lambda: [json.dumps(v) for v in inputs], runs)))
    print(show("from_wire (the cases' inputs)", best_of(lambda: [from_wire(w) for w in wires], runs)))
    print(show("to_wire (the cases' inputs)", best_of(lambda: [to_wire(v) for v in inputs], runs)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--kb", type=int, default=1000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="drill-bench-large-"))
    try:
        env = {"DRILL_HOME": str(work / "home")}
        os.environ.update(env)
        tiny = write_pack(work / "tiny", "tiny", 0)
        large = write_pack(work / "large", "large", args.kb)
        answer = work / "answer.py"
        answer.write_text(ANSWER, encoding="utf-8")
        text = (work / "large" / "tests.json").read_text(encoding="utf-8")
        print(f"large tests file: {len(text) / 1000:.0f} KB, {CASES} cases")

        from drill.judge import sandbox

        modes = ["none"] + (["bwrap"] if sandbox.bwrap_path() else [])
        cmds: dict[str, list[str]] = {}
        for mode in modes:
            for name, pack in (("tiny", tiny), ("large", large)):
                argv = drill_cmd("check", f"{name}/total", str(answer), "--pack", str(pack), "--sandbox", mode)
                first = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, **env})
                if first.returncode != 0:  # also warms the catalogue and spec caches
                    raise SystemExit(f"{' '.join(argv)} failed: {first.stderr.strip() or first.stdout[-300:]}")
                cmds[f"check {name} --sandbox {mode}"] = argv
        loads = best_of(lambda: json.loads(text), args.runs)
        timings = interleaved(cmds, args.runs, env=env)
        print(machine_note(args.runs))
        for name, t in timings.items():
            print(f"{name:<44} {t.show()}")
        budget_loads = statistics.median(loads)
        print(show("json.loads of the large tests file", loads))
        for mode in modes:
            big, small = timings[f"check large --sandbox {mode}"], timings[f"check tiny --sandbox {mode}"]
            per_run = [b / (s + budget_loads) for b, s in zip(big.times, small.times, strict=True)]
            print(f"large / (tiny + json.loads), --sandbox {mode:<5} {big.median / (small.median + budget_loads):.2f}x "
                  f"(per-run {min(per_run):.2f}-{max(per_run):.2f}x; target <= 1.3x)")
        codec(text, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
