"""A small pack of one question of each kind, and keys for driving sessions."""

from __future__ import annotations

CTRL_C, CTRL_O, CTRL_R, CTRL_S, CTRL_T, CTRL_X = "\x03", "\x0f", "\x12", "\x13", "\x14", "\x18"
CTRL_Z, CTRL_Y, CTRL_K, CTRL_A = "\x1a", "\x19", "\x0b", "\x01"
DOWN, UP, F2, F3, F5 = "\x1b[B", "\x1b[A", "\x1bOQ", "\x1bOR", "\x1b[15~"
PGUP, PGDN, SHIFT_TAB, BACKSPACE = "\x1b[5~", "\x1b[6~", "\x1b[Z", "\x7f"
CLEAR = CTRL_K * 8  # from the top of a short starter: delete every line

PACK = """\
pack: t
title: Session test pack
format: 1
questions:
  - id: add
    kind: code
    round: coding
    title: Add two numbers
    difficulty: easy
    tags: [arith]
    minutes: 1
    prompt: Return a + b.
    function: add
    starter: |
      def add(a: int, b: int) -> int:
          return 0
    hints: [Use the plus sign.]
    examples:
      - args: [1, 2]
        expected: 3
    tests:
      - args: [5, 7]
        expected: 12
      - args: [-1, 1]
        expected: 0
  - id: drift
    round: mlops
    title: Watching drift
    difficulty: medium
    tags: [drift, monitoring]
    minutes: 5
    prompt: How do you watch a fraud model for drift?
    rubric:
      - point: Tracks PSI per feature against the training window
        must: true
        keywords: [psi, population stability]
      - point: Alerts on score distribution shifts
        keywords: [score distribution, score histogram]
      - point: Ties retraining to label arrival
        keywords: [retrain, label arrival, matured labels]
    model_answer: Track PSI per feature and the score distribution; retrain when labels mature.
  - id: auc
    kind: choice
    round: stats
    title: AUC
    prompt: AUC is the chance that...
    choices: [a positive outranks a negative, the model is calibrated]
    answer: 0
    explanation: By definition.
  - id: bayes
    kind: numeric
    round: stats
    title: Bayes
    prompt: 1% prevalence, 90% recall, 5% false positive rate. P(fraud | flag)?
    answer: 0.1538
    tolerance: 0.001
"""

ANSWER = "\ndef add(a, b):\n    return a + b\n"

# A copy of two of the questions above with later stages: an open question with two
# follow-up probes and a code question with two parts (the second with its own class and
# starter). Solutions are written next to it by the `stages_pack` fixture (tests/conftest.py).
STAGES_PACK = """\
pack: s
title: Stages test pack
format: 1
questions:
  - id: drift
    round: mlops
    title: Watching drift
    minutes: 5
    prompt: How do you watch a fraud model for drift?
    rubric:
      - point: Tracks PSI per feature against the training window
        must: true
        keywords: [psi, population stability]
      - point: Alerts on score distribution shifts
        keywords: [score distribution, score histogram]
      - point: Ties retraining to label arrival
        keywords: [retrain, label arrival, matured labels]
    model_answer: Track PSI per feature and the score distribution; retrain when labels mature.
    followups:
      - prompt: Chargebacks arrive 90 days late. How do you evaluate this month?
        rubric:
          - point: Train only on matured labels older than the label delay
            must: true
            keywords: [matured labels, label delay, maturity]
          - point: Use early proxy labels such as disputes
            keywords: [proxy label, dispute]
        model_answer: Evaluate on matured cohorts only; watch dispute-based proxy labels meanwhile.
        weight: 0.5
      - prompt: The PSI alert fires every Monday. What do you do?
        rubric:
          - point: Compare against the same weekday (seasonality)
            keywords: [same weekday, weekly seasonality, day of week]
        model_answer: Baseline each day against the same weekday; Monday traffic differs.
        weight: 0.25
  - id: total
    kind: code
    round: coding
    title: Total of a list
    minutes: 5
    prompt: Return the sum of a list of numbers.
    function: total
    starter: |
      def total(xs):
          return 0
    solution: sol/total.py
    hints: [Python has a built-in for this.]
    examples:
      - {args: [[1, 2]], expected: 3}
    tests:
      - {args: [[]], expected: 0}
      - {args: [[5, -5, 7]], expected: 7}
    parts:
      - title: Now only the positives
        prompt: Sum only the positive numbers.
        solution: sol/positive.py
        hints: [Filter with a generator expression.]
        weight: 0.5
        examples:
          - {args: [[1, -2, 3]], expected: 4}
        tests:
          - {args: [[-1]], expected: 0}
          - {args: [[0, 2, -3]], expected: 2}
          - {args: [[4, 4]], expected: 8}
      - title: Now as a stream
        prompt: "A class Running: add(x) returns the total so far."
        class: Running
        solution: sol/running.py
        starter: |
          class Running:
              def add(self, x):
                  return None
        weight: 0.5
        tests:
          - {calls: [["__init__", []], ["add", [2]], ["add", [3]]], expected: [null, 2, 5]}
          - {calls: [["__init__", []], ["add", [-1]]], expected: [null, -1]}
"""

STAGES_SOLUTIONS = {
    "total.py": "def total(xs):\n    return sum(xs)\n",
    "positive.py": "def total(xs):\n    return sum(x for x in xs if x > 0)\n",
    "running.py": ("class Running:\n    def __init__(self):\n        self.t = 0\n\n"
                   "    def add(self, x):\n        self.t += x\n        return self.t\n"),
}


def paste(text: str) -> str:
    """Bracketed paste: inserted as typed, without the editor's auto-indent."""
    return f"\x1b[200~{text}\x1b[201~"


class Pty:
    """The real `drill` in a pseudo-terminal, its output kept on an emulated screen (pyte),
    so a test asserts on what a person would see, after every redraw."""

    def __init__(self, args: list[str], drill_home, *, cols: int = 80, rows: int = 24,
                 env: dict | None = None, timeout: float = 30) -> None:
        import os
        import sys

        import pexpect
        import pyte

        e = {**os.environ, "DRILL_HOME": str(drill_home), "TERM": "xterm-256color",
             "COLUMNS": str(cols), "LINES": str(rows), **(env or {})}
        e.pop("NO_COLOR", None) if "NO_COLOR" not in (env or {}) else None
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.timeout = timeout
        self.child = pexpect.spawn(sys.executable, ["-m", "drill", *args], env=e, dimensions=(rows, cols),
                                   timeout=timeout)
        self.raw = b""

    def _pump(self, wait: float) -> bool:
        import pexpect

        try:
            data = self.child.read_nonblocking(65536, timeout=wait)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait(self, pattern: str, timeout: float | None = None) -> str:
        """Until the screen shows `pattern` (a regex); returns the screen."""
        import re
        import time

        deadline = time.monotonic() + (timeout or self.timeout)
        rx = re.compile(pattern)
        while True:
            screen = self.text()
            if rx.search(screen):
                return self.settle(0.1)  # the rest of this frame
            if time.monotonic() > deadline:
                raise AssertionError(f"screen never showed {pattern!r}; it shows:\n{screen}")
            if not self._pump(0.05) and not rx.search(self.text()):
                raise AssertionError(f"drill ended before showing {pattern!r}; last screen:\n{self.text()}")

    def settle(self, seconds: float = 0.3) -> str:
        """Read for `seconds` (the clock redraws every half second, so there is no quiet)."""
        import time

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if not self._pump(max(0.01, end - time.monotonic())):
                break
        return self.text()

    def send(self, text: str) -> None:
        self.child.send(text)

    def resize(self, rows: int, cols: int) -> None:
        self.screen.resize(rows, cols)
        self.child.setwinsize(rows, cols)

    def finish(self) -> int:
        while self._pump(0.2):
            pass
        self.child.close()
        return self.child.exitstatus

    def output_after_exit(self) -> str:
        """What was printed once the full screen had closed (the summary), as plain text."""
        import re

        text = self.raw.decode("utf-8", "replace")
        tail = text.rsplit("\x1b[?1049l", 1)[-1]
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", tail)


class ScreenOutput:
    """A prompt-toolkit output that draws on an emulated terminal (pyte) and keeps every
    frame drawn, so a headless round can be asserted on as a person saw it."""

    def __init__(self, cols: int = 100, rows: int = 30) -> None:
        import pyte
        from prompt_toolkit.data_structures import Size
        from prompt_toolkit.output.vt100 import Vt100_Output

        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)
        self.frames: list[str] = []
        self.size = Size(rows=rows, columns=cols)
        self.output = Vt100_Output(self, lambda: self.size, term="xterm-256color")
        self.encoding = "utf-8"

    def write(self, data: str) -> int:
        self.stream.feed(data)
        return len(data)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("no file")

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def capture(self, _app) -> None:
        text = self.text()
        if not self.frames or self.frames[-1] != text:
            self.frames.append(text)

    def seen(self, needle: str) -> bool:
        return any(needle in f for f in self.frames)

    def frame_with(self, needle: str) -> str:
        for f in self.frames:
            if needle in f:
                return f
        raise AssertionError(f"no frame showed {needle!r}; last frame:\n{self.frames[-1] if self.frames else ''}")
