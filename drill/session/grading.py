"""Scoring answers that are not judged by tests: rubrics, choices and numbers."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass


def premark(answer: str, rubric) -> list[bool]:
    """Suggest which rubric points an answer covers (conservatively: drill.session.suggest)."""
    from drill.session.suggest import premark as suggest_premark

    return suggest_premark(answer, rubric)


@dataclass(frozen=True)
class RubricScore:
    score: float
    missed_must: list[str]

    def marks(self, rubric, ticked: Sequence[bool]) -> list[dict]:
        return [{"point": p.point, "weight": p.weight, "must": p.must, "hit": bool(t)}
                for p, t in zip(rubric, ticked, strict=True)]


def score_rubric(rubric, ticked: Sequence[bool]) -> RubricScore:
    """The weighted share of ticked points, and which `must` points were missed."""
    total = sum(p.weight for p in rubric)
    got = sum(p.weight for p, t in zip(rubric, ticked, strict=True) if t)
    missed = [p.point for p, t in zip(rubric, ticked, strict=True) if p.must and not t]
    return RubricScore(got / total if total else 0.0, missed)


def combine(scores: Sequence[float], weights: Sequence[float]) -> float:
    """A question's score from its stages' (main answer, follow-up probes, code parts):
    (main + sum(w_i * s_i)) / (1 + sum(w_i)), with weights[0] the main stage's 1.0."""
    total = sum(weights)
    return sum(w * s for w, s in zip(weights, scores, strict=True)) / total if total else 0.0


def parse_choice(text: str, n_choices: int) -> list[int]:
    """'B' or 'a, c' or '2' (1-based) -> sorted 0-based indexes; ValueError when unclear."""
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    if not parts:
        raise ValueError("type a letter, e.g. A (or several: A,C)")
    out = set()
    for p in parts:
        if len(p) == 1 and p.isalpha():
            i = ord(p.upper()) - ord("A")
        elif p.isdigit():
            i = int(p) - 1
        else:
            raise ValueError(f"'{p}' is not a choice letter")
        if not 0 <= i < n_choices:
            raise ValueError(f"'{p}' is not one of the {n_choices} choices")
        out.add(i)
    return sorted(out)


def grade_choice(picked: Sequence[int], answer: int | list[int]) -> float:
    right = set(answer if isinstance(answer, list) else [answer])
    return 1.0 if set(picked) == right else 0.0


_SUFFIX = {"k": 1e3, "m": 1e6, "mm": 1e6, "bn": 1e9, "b": 1e9}
_CURRENCY = "$€£¥"


def parse_number(text: str, unit: str | None = None) -> float:
    """Numbers as people type them: '0.15', '15%', '1,200', '1e-3', '1/3', '$15,800',
    '15.8k', '2.5M', and the question's own unit after the number ('12 days', '40 ms')."""
    t = text.strip()
    if not t:
        raise ValueError("type a number")
    if unit and unit.strip() and unit.strip() != "%":
        u = unit.strip()
        if t.lower().endswith(u.lower()):
            t = t[: -len(u)].strip()
    t = t.replace(",", "").replace("_", "").replace(" ", "")
    negative = t.startswith("-")
    t = t.lstrip("-+")
    t = t.lstrip(_CURRENCY)
    if t.startswith("-"):  # '$-5' as well as '-$5'
        negative, t = not negative, t[1:]
    percent = t.endswith("%")
    if percent:
        t = t[:-1]
    scale = 1.0
    m = re.fullmatch(r"(.*?\d\.?)(k|m|mm|bn|b)", t, flags=re.IGNORECASE)
    if m and "e" not in m.group(2).lower():
        t, scale = m.group(1), _SUFFIX[m.group(2).lower()]
    try:
        if "/" in t:
            num, den = t.split("/", 1)
            value = float(num) / float(den)
        else:
            value = float(t)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"'{text.strip()[:40]}' is not a number") from None
    value *= scale * (-1 if negative else 1)
    if not math.isfinite(value):
        raise ValueError("type a finite number")
    return value / 100 if percent else value


def grade_numeric(value: float, answer: float, tolerance: float, unit: str | None = None) -> float:
    """Right when within tolerance; a percentage typed as '15%' against a fraction also counts."""
    candidates = [value]
    if unit and unit.strip() == "%":
        candidates.append(value * 100)  # '15%' was parsed as 0.15, the answer is in percent
    # Relative slack for float noise on exact answers.
    slack = tolerance + 1e-9 * max(1.0, abs(answer))
    return 1.0 if any(abs(v - answer) <= slack for v in candidates) else 0.0
