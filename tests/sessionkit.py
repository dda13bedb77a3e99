"""A small pack of one question of each kind, and keys for driving sessions."""

from __future__ import annotations

CTRL_C, CTRL_O, CTRL_R, CTRL_S, CTRL_T, CTRL_X = "\x03", "\x0f", "\x12", "\x13", "\x14", "\x18"
DOWN = "\x1b[B"

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


def paste(text: str) -> str:
    """Bracketed paste: inserted as typed, without the editor's auto-indent."""
    return f"\x1b[200~{text}\x1b[201~"
