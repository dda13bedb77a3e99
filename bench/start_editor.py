"""`drill start`: time from the command to an editable first question, in a pty.

Usage: python bench/start_editor.py [--drill PATH] [--baseline PATH] [--runs N]
                                    [--question UID] [--size COLSxROWS]

Runs `drill start --question UID` in a pseudo-terminal (an emulated screen), presses Enter
the moment the intro ("Press Enter to begin") is drawn, and stops the clock when the
editor shows the first line of the question's starter code. Five figures per run:
- first screen: the command to the intro;
- editor: the command to the editable question (includes the bench's own Enter);
- after Enter: Enter to the editable question;
- CPU to the editor: the CPU time drill used until then, all threads (schedstat), which a
  busy machine inflates far less than the wall times;
- its colours: the command to the editor's syntax colours (drawn plain first when Enter
  comes before the editor's lexer is built; nan if never coloured).
PATH is the `drill` of an install (as a user has: `pip install .`, not `-e`); the default
is the `drill` beside this Python. With --baseline (another install, e.g. of the commit
before a change) both run interleaved (A B, B A, ...), and the ratios are printed.
Each install keeps its own DRILL_HOME, warmed by one run (catalogue and other caches), and
the paused session every run leaves is removed between runs (outside the clock).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pty import Term
from _timing import DRILL, Timing, machine_note, ratio

QUESTION = "coding-algo/risk-score-lru-cache"
STARTER_LINE = "class ScoreCache:"  # that question's starter, line 1


def starter_colour(term: Term, starter: str) -> str | None:
    """The colour the editor draws the starter's first character in (None: not on screen)."""
    for row in term.screen.buffer.values():
        line = "".join(row[x].data for x in range(term.screen.columns))
        at = line.find(starter)
        if at >= 0:
            return row[at].fg
    return None


def one_run(drill: str, home: Path, question: str, starter: str,
            size: tuple[int, int]) -> tuple[float, float, float, float]:
    """(ms to the intro, ms to the editor, CPU ms to the editor, ms to the editor's
    colours) for one `drill start`."""
    term = Term([drill, "start", "--question", question], home, cols=size[0], rows=size[1])
    try:
        intro = term.wait_text("Press Enter to begin")
        term.send("\r")
        editor = term.wait_text(starter)
        cpu = term.cpu_ms()
        try:
            coloured = term.until(lambda t: starter_colour(t, starter) not in (None, "default"), timeout=5)
        except TimeoutError:
            coloured = float("nan")
    finally:
        term.stop()
        shutil.rmtree(home / "workspace", ignore_errors=True)
    ms = [(t - term.started) * 1000 for t in (intro, editor, coloured)]
    return ms[0], ms[1], cpu or 0.0, ms[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drill", default=DRILL, help="the drill executable to time (default: beside this Python)")
    ap.add_argument("--baseline", help="another install's drill executable to compare with")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--question", default=QUESTION)
    ap.add_argument("--starter-line", default=STARTER_LINE, help="text of the editor's first line")
    ap.add_argument("--size", default="100x30")
    args = ap.parse_args()
    if not args.drill:
        sys.exit("no drill executable beside this Python; pass --drill PATH")
    size = tuple(int(x) for x in args.size.split("x"))
    targets = {"this install": args.drill}
    if args.baseline:
        targets["baseline"] = args.baseline
    names = list(targets)
    intro: dict[str, list[float]] = {n: [] for n in names}
    editor: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    colours: dict[str, list[float]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory() as tmp:
        homes = {n: Path(tmp) / f"home-{i}" for i, n in enumerate(names)}
        for n in names:  # warm-up: caches in DRILL_HOME, and the OS's
            for _ in range(2):
                one_run(targets[n], homes[n], args.question, args.starter_line, size)
        for i in range(args.runs):
            k = i % len(names)
            for n in names[k:] + names[:k]:
                a, b, c, d = one_run(targets[n], homes[n], args.question, args.starter_line, size)
                intro[n].append(a)
                editor[n].append(b)
                cpu[n].append(c)
                colours[n].append(d)
    print(machine_note(args.runs))
    print(f"drill start --question {args.question} at {args.size}")
    for n in names:
        after = [b - a for a, b in zip(intro[n], editor[n], strict=True)]
        print(f"{n:<14} first screen {Timing(intro[n]).show()}")
        print(f"{'':<14} editor       {Timing(editor[n]).show()}")
        print(f"{'':<14} after Enter  {Timing(after).show()}")
        print(f"{'':<14} CPU to the editor {Timing(cpu[n]).show()}")
        print(f"{'':<14} its colours  {Timing(colours[n]).show()}")
    if args.baseline:
        print(f"first screen this/baseline: {ratio(Timing(intro[names[0]]), Timing(intro[names[1]]))}")
        print(f"editor this/baseline:       {ratio(Timing(editor[names[0]]), Timing(editor[names[1]]))}")
        print(f"CPU this/baseline:          {ratio(Timing(cpu[names[0]]), Timing(cpu[names[1]]))}")


if __name__ == "__main__":
    main()
