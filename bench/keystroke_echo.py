"""The round's code editor: keystroke echo with about 300 lines in the buffer, in a pty.

Usage: python bench/keystroke_echo.py [--drill PATH] [--baseline PATH] [--keys N]
                                      [--rounds R] [--lines L] [--size COLSxROWS]

Starts `drill start --question coding-algo/risk-score-lru-cache` in a pseudo-terminal (an
emulated screen), goes to the end of the starter (Ctrl-End) and pastes a generated Python
file so the editor holds --lines lines, then types N keys at a typist's pace (30-120 ms
apart, seeded): code lines of 20-40 characters with Enter between them (auto-indent on).
Each key's echo time runs from writing it to the terminal to the arrival of the output
that shows it: the cursor's row reads "<line number> <the line typed so far>". The
clock's half-second redraws and the 3-second autosave fall where they fall, as for a
person typing. Prints p50, p90, p99 and the maximum per install.

PATH is the `drill` of an install (`pip install .`, not `-e`); the default is the `drill`
beside this Python. With --baseline, R rounds of N keys each alternate between the two
installs (A B, B A, ...), each round a fresh `drill start`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pty import Term
from _timing import DRILL

QUESTION = "coding-algo/risk-score-lru-cache"
STARTER_LINES = 10  # that question's starter; the cursor starts on the empty line after it
CTRL_END = "\x1b[1;5F"
WORDS = ["total", "values", "limit", "seen", "score", "account", "window", "count", "key"]


def program(n_lines: int) -> str:
    """A plausible answer file of n_lines lines, ending inside a function body."""
    out = ["import heapq", "from collections import OrderedDict, defaultdict", ""]
    k = 0
    while len(out) < n_lines:
        k += 1
        out += [f"def helper_{k}(values: list[float], limit: int = {k}) -> dict[str, float]:",
                f'    """Sum the values above the limit, every {k + 1}th one; a docstring."""',
                "    total = 0.0",
                "    seen = defaultdict(int)",
                "    for i, v in enumerate(values):",
                f"        if v > limit and i % {k + 1} == 0:  # keep every {k + 1}th",
                "            total += v * 1.5",
                "            seen[str(i)] += 1",
                "        elif v < 0:",
                "            raise ValueError(f'negative value {v!r} at {i}')",
                "    return {'total': total, 'count': float(len(seen))}",
                ""]
    out = [*out[:n_lines - 2], "def typed_here(values):", "    total = 0"]
    return "\n".join(out)


def typed_lines(rng: random.Random, n_keys: int) -> list[str]:
    """Keys to type: Enter, then a line of code, again and again."""
    keys: list[str] = []
    while len(keys) < n_keys:
        a, b = rng.sample(WORDS, 2)
        line = f"{a} = {b} + values[{rng.randrange(100)}] * {rng.randrange(2, 9)}"
        keys += ["\r", *line]
    return keys[:n_keys]


def one_round(drill: str, home: Path, lines: int, n_keys: int, seed: int,
              size: tuple[int, int]) -> list[float]:
    """Echo times (ms) of n_keys keys typed into an editor holding `lines` lines."""
    rng = random.Random(seed)
    term = Term([drill, "start", "--question", QUESTION], home, cols=size[0], rows=size[1],
                env={"DRILL_KEYS": "emacs"})
    out: list[float] = []
    try:
        term.wait_text("Press Enter to begin")
        term.send("\r")
        term.wait_text("class ScoreCache:")
        term.send(CTRL_END)
        time.sleep(0.2)
        pasted = program(lines - STARTER_LINES)
        term.send(f"\x1b[200~{pasted}\x1b[201~")
        lineno = STARTER_LINES + 1 + pasted.count("\n")  # == lines
        term.until(lambda t: t.cursor_line().endswith(f"{lineno} " + "    total = 0"))
        term.drain(0.5)
        typed = "    total = 0"
        for key in typed_lines(rng, n_keys):
            time.sleep(rng.uniform(0.03, 0.12))
            if key == "\r":
                lineno += 1
                typed = "    "
            else:
                typed += key
            want = f"{lineno} {typed}"
            sent = term.send(key)
            shown = term.until(lambda t, want=want: t.cursor_line().endswith(want), timeout=10)
            out.append((shown - sent) * 1000)
    finally:
        term.stop()
        shutil.rmtree(home / "workspace", ignore_errors=True)
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def show(name: str, xs: list[float]) -> str:
    return (f"{name:<14} {len(xs)} keys: p50 {statistics.median(xs):6.1f} ms, p90 {pct(xs, 90):6.1f} ms, "
            f"p99 {pct(xs, 99):6.1f} ms, max {max(xs):6.1f} ms")


def main() -> None:
    import os

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drill", default=DRILL, help="the drill executable to time (default: beside this Python)")
    ap.add_argument("--baseline", help="another install's drill executable to compare with")
    ap.add_argument("--keys", type=int, default=150, help="keys per round")
    ap.add_argument("--rounds", type=int, default=2, help="rounds per install")
    ap.add_argument("--lines", type=int, default=300)
    ap.add_argument("--size", default="100x30")
    args = ap.parse_args()
    if not args.drill:
        sys.exit("no drill executable beside this Python; pass --drill PATH")
    size = (int(args.size.split("x")[0]), int(args.size.split("x")[1]))
    targets = {"this install": args.drill}
    if args.baseline:
        targets["baseline"] = args.baseline
    names = list(targets)
    echo: dict[str, list[float]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory() as tmp:
        homes = {n: Path(tmp) / f"home-{i}" for i, n in enumerate(names)}
        for n in names:  # warm-up: caches in DRILL_HOME, and the OS's
            one_round(targets[n], homes[n], args.lines, 10, 0, size)
        for i in range(args.rounds):
            k = i % len(names)
            for n in names[k:] + names[:k]:
                echo[n] += one_round(targets[n], homes[n], args.lines, args.keys, 1000 + i, size)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; "
          f"{args.rounds} interleaved rounds of {args.keys} keys each")
    print(f"keystroke echo, {args.lines} lines in the editor, at {args.size}")
    for n in names:
        print(show(n, echo[n]))


if __name__ == "__main__":
    main()
