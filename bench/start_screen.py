"""`drill start`: time from the command to its first screen (the intro), in a pty.

Usage: python bench/start_screen.py [--baseline PATH] [--runs N]

Runs `drill start --question <a built-in coding question>` in a pseudo-terminal and stops
the clock when the intro ("Press Enter to begin") is on the screen, then sends Ctrl-C.
With --baseline, the same is timed for another checkout of drill (e.g. the commit before
the full-screen round), interleaved A B, B A, ... as bench/_timing.py does, and the ratio
is printed. Each run gets a fresh DRILL_HOME after one warm-up run (catalogue cache warm).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import Timing, machine_note

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "coding-algo/risk-score-lru-cache"


def first_screen_ms(checkout: Path, home: Path) -> float:
    import pexpect

    env = {**os.environ, "DRILL_HOME": str(home), "TERM": "xterm-256color", "PYTHONPATH": str(checkout)}
    env.pop("NO_COLOR", None)
    t0 = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "drill", "start", "--question", QUESTION],
                          env=env, dimensions=(30, 100), timeout=30, cwd=str(checkout))
    while True:
        i = child.expect([r"Press Enter to begin", re.escape("\x1b[6n")])
        if i == 0:
            break
        child.send("\x1b[12;1R")  # the older inline screen asks where the cursor is
    dt = (time.perf_counter() - t0) * 1000
    child.send("\x03")
    child.expect(pexpect.EOF)
    child.close()
    return dt



def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", type=Path, help="another drill checkout to compare with")
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    targets = {"this checkout": ROOT}
    if args.baseline:
        targets["baseline"] = args.baseline.resolve()
    names = list(targets)
    times: dict[str, list[float]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory() as tmp:
        homes = {n: Path(tmp) / f"home-{i}" for i, n in enumerate(names)}
        for n in names:  # warm-up: catalogue cache and OS caches
            first_screen_ms(targets[n], homes[n])
        for i in range(args.runs):
            k = i % len(names)
            for n in names[k:] + names[:k]:
                times[n].append(first_screen_ms(targets[n], homes[n]))
    print(machine_note(args.runs))
    for n in names:
        print(f"{n:<16} first screen {Timing(times[n]).show()}")
    if args.baseline:
        a, b = Timing(times["this checkout"]), Timing(times["baseline"])
        rs = [x / y for x, y in zip(a.times, b.times, strict=True)]
        print(f"ratio this/baseline: {a.median / b.median:.2f}x (per-run {min(rs):.2f}-{max(rs):.2f}x)")


if __name__ == "__main__":
    main()
