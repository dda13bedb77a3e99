"""The round's code editor: keystroke echo with about 300 lines in the buffer, in a pty.

Usage: python bench/keystroke_echo.py [--drill PATH] [--baseline PATH] [--keys N]
                                      [--rounds R] [--lines L] [--size COLSxROWS]
                                      [--kind code|open] [--run-first]

Starts `drill start --question coding-algo/risk-score-lru-cache` in a pseudo-terminal (an
emulated screen), goes to the end of the starter (Ctrl-End) and pastes a generated Python
file so the editor holds --lines lines, then types N keys at a typist's pace (30-120 ms
apart, seeded): code lines of 20-40 characters with Enter between them (auto-indent on).
Each key's echo time runs from writing it to the terminal to the arrival of the output
that shows it: the cursor's row reads "<line number> <the line typed so far>". The
clock's half-second redraws and the 3-second autosave fall where they fall, as for a
person typing. Prints p50, p90, p99 and the maximum per install. With --kind open, the
same for an open question's answer, soft-wrapped at words: --lines lines of prose pasted
(many wider than the pane), then words typed at its end. With --run-first, the examples
are run (^R) before the typing starts: judging loads the question in full and the judge's
modules, and the typing that follows must not pay for them.

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
OPEN_QUESTION = "system-design/withdrawal-scoring"
CTRL_END, CTRL_R = "\x1b[1;5F", "\x12"
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


def prose(n_lines: int, rng: random.Random) -> str:
    """An open answer of n_lines lines (sentences and paragraphs, many wider than the pane)."""
    words = ["the", "model", "scores", "each", "withdrawal", "within", "fifty", "milliseconds", "using", "features", "from", "the", "feature", "store", "and", "falls", "back", "to", "rules", "when", "the", "store", "is", "slow", "or", "labels", "arrive", "late"]
    out = [" ".join(rng.choice(words) for _ in range(rng.randrange(4, 40))) + "." for _ in range(n_lines - 1)]
    return "\n".join([*out, "and the end of the pasted answer"])


def typed_lines(rng: random.Random, n_keys: int) -> list[str]:
    """Keys to type: Enter, then a line of code, again and again."""
    keys: list[str] = []
    while len(keys) < n_keys:
        a, b = rng.sample(WORDS, 2)
        line = f"{a} = {b} + values[{rng.randrange(100)}] * {rng.randrange(2, 9)}"
        keys += ["\r", *line]
    return keys[:n_keys]


def one_round(drill: str, home: Path, lines: int, n_keys: int, seed: int,
              size: tuple[int, int], kind: str = "code", run_first: bool = False) -> list[float]:
    """Echo times (ms) of n_keys keys typed into an editor holding `lines` lines (with
    `run_first`, after running the examples once: judging loads the question in full)."""
    if kind == "open":
        return open_round(drill, home, lines, n_keys, seed, size)
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
        if run_first:
            term.send(CTRL_R)
            term.wait_text("Examples", timeout=60)
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


def open_round(drill: str, home: Path, lines: int, n_keys: int, seed: int,
               size: tuple[int, int]) -> list[float]:
    """The same for an open question's answer (soft-wrapped at words): words typed at the
    end of a pasted answer, the paragraph growing and wrapping. A key has echoed when the
    cursor has moved and the character before it is the key (or, when the key filled its
    row, the last one of the row above: the cursor then starts a row)."""
    rng = random.Random(seed)
    term = Term([drill, "start", "--question", OPEN_QUESTION], home, cols=size[0], rows=size[1],
                env={"DRILL_KEYS": "emacs"})
    out: list[float] = []

    def echoed(t: Term, key: str, before: tuple[int, int]) -> bool:
        c = t.screen.cursor
        if (c.y, c.x) == before:
            return False
        row, above = t.screen.buffer[c.y], t.screen.buffer[c.y - 1]
        return row[c.x - 1].data == key or above[t.screen.columns - 1].data == key or key == " "

    try:
        term.wait_text("Press Enter to begin")
        term.send("\r")
        term.wait_text("Your answer · ^S submits")
        time.sleep(0.2)
        term.send(f"\x1b[200~{prose(lines, rng)}\x1b[201~")
        term.until(lambda t: t.cursor_line().endswith("the end of the pasted answer"))
        term.drain(0.5)
        keys = list(" " + " ".join(rng.choice(WORDS) for _ in range(n_keys)))[:n_keys]
        for key in keys:
            time.sleep(rng.uniform(0.03, 0.12))
            before = (term.screen.cursor.y, term.screen.cursor.x)
            sent = term.send(key)
            shown = term.until(lambda t, key=key, before=before: echoed(t, key, before), timeout=10)
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
    ap.add_argument("--kind", choices=["code", "open"], default="code",
                    help=f"the code editor ({QUESTION}) or an open answer ({OPEN_QUESTION})")
    ap.add_argument("--run-first", action="store_true",
                    help="code: run the examples (^R) once before typing")
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
            one_round(targets[n], homes[n], args.lines, 10, 0, size, args.kind)
        for i in range(args.rounds):
            k = i % len(names)
            for n in names[k:] + names[:k]:
                echo[n] += one_round(targets[n], homes[n], args.lines, args.keys, 1000 + i, size, args.kind,
                                     args.run_first)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; "
          f"{args.rounds} interleaved rounds of {args.keys} keys each")
    print(f"keystroke echo, {args.kind} question, {args.lines} lines in the editor, at {args.size}"
          + (", after a run of the examples" if args.run_first else ""))
    for n in names:
        print(show(n, echo[n]))


if __name__ == "__main__":
    main()
