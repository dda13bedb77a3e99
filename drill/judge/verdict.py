"""Verdicts shared by the code judge, the SQL judge, audits and sessions.

Judges expose one function each and return a CheckResult:
- `drill.judge.code.judge_code(loaded, source, *, examples_only=False, sandbox="auto") -> CheckResult`
- `drill.sql.judge.judge_sql(loaded, query, *, examples_only=False) -> CheckResult`
- `drill.judge.takehome.judge_model(task, source, sandbox) -> (CheckResult, notes)`, whose
  result carries a ModelOutcome (the metric against baseline and target)
where `loaded` is a `drill.packs.catalog.Loaded` (question model plus its hidden cases).
"""

from __future__ import annotations

from drill.plainclass import field, plainclass

TYPE_CHECKING = False  # typing only for type checkers: `drill check` has no time to import it
if TYPE_CHECKING:
    from typing import Any

STATUSES = (
    "passed",
    "wrong_answer",
    "runtime_error",
    "time_limit",
    "memory_limit",
    "output_limit",
    "syntax_error",
    "internal_error",
)

MESSAGE_CAP = 500  # as exercism's runner: enough to read, never a flood


def cut(text: str, limit: int = MESSAGE_CAP) -> str:
    """Escape control characters and cut, so an answer's output cannot garble the screen."""
    cleaned = "".join(
        ch if ch in "\n\t" or (ch.isprintable()) else repr(ch)[1:-1] for ch in text
    )
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


@plainclass
class CaseResult:
    name: str
    hidden: bool
    status: str
    time_ms: float = 0.0
    message: str = ""
    # Only for visible cases (or --reveal): what went in, what was wanted, what came back.
    input: Any = None
    expected: Any = None
    actual: Any = None

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "hidden": self.hidden,
            "status": self.status,
            "time_ms": round(self.time_ms, 3),
            "message": self.message,
        }


@plainclass
class Segment:
    """One row of a breakdown table: the metric within one value of a column."""

    value: str
    rows: int
    positives: int
    metric: float  # NaN when undefined there (e.g. no positives in the segment)

    def to_json(self) -> dict[str, Any]:
        return {"segment": self.value, "rows": self.rows, "positives": self.positives,
                "value": _finite(self.metric)}


@plainclass
class Breakdown:
    """A question's declared breakdown: `metric` per value of `by`."""

    name: str
    by: str
    metric: str
    segments: list[Segment] = field(default_factory=list)
    more: int = 0  # smaller segments left out of `segments`

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "by": self.by, "metric": self.metric,
                "segments": [s.to_json() for s in self.segments], "more_segments": self.more}


@plainclass
class ModelOutcome:
    """A `model` (take-home) answer's measure on the hidden period, against the question's bar."""

    metric: str
    params: dict[str, Any]  # budget_per_day, costs, threshold, as the question declares them
    baseline: float
    target: float
    margin: float
    higher_is_better: bool
    rows: int
    positives: int
    value: float | None = None  # None when the answer gave no usable scores
    breakdown: list[Breakdown] = field(default_factory=list)

    @property
    def bar(self) -> float:
        """The value that passes: target - margin (costs: target + margin)."""
        return self.target - self.margin if self.higher_is_better else self.target + self.margin

    @property
    def reached(self) -> bool:
        v = self.value
        if v is None or v != v:
            return False
        return v >= self.bar if self.higher_is_better else v <= self.bar

    @property
    def score(self) -> float:
        """Where the metric falls from baseline (0) to target (1), clamped: the score for scheduling."""
        v = self.value
        if v is None or v != v or self.target == self.baseline:
            return 0.0
        return min(1.0, max(0.0, (v - self.baseline) / (self.target - self.baseline)))

    def to_json(self) -> dict[str, Any]:
        return {
            "metric": {"name": self.metric, "value": _finite(self.value), "higher_is_better": self.higher_is_better,
                       **self.params},
            "baseline": self.baseline, "target": self.target, "margin": self.margin,
            "pass_at": round(self.bar, 12), "score": round(self.score, 6),
            "rows": self.rows, "positives": self.positives,
            "breakdown": [b.to_json() for b in self.breakdown],
        }


def _finite(v: float | None) -> float | None:
    return None if v is None or v != v or v in (float("inf"), float("-inf")) else v


@plainclass
class CheckResult:
    question: str
    sandbox: str  # "bwrap" | "rlimit" (code), "sqlite" (sql)
    cases: list[CaseResult] = field(default_factory=list)
    error: str | None = None  # a problem with the whole answer (e.g. syntax error), if any
    # What bounded the answer's whole process tree (code questions): "cgroup-v1",
    # "cgroup-v2", or "rlimit" (per-process limits only); see docs/judge-sandbox.md.
    bounds: str | None = None
    # A `model` question's measure (its one case says whether fit and predict ran, and
    # whether the metric reached the bar): see drill.judge.takehome.
    model: ModelOutcome | None = None

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.cases)

    @property
    def total(self) -> int:
        return len(self.cases)

    @property
    def verdict(self) -> str:
        return "passed" if self.cases and self.passed == self.total else "failed"

    @property
    def score(self) -> float:
        if self.model is not None:
            return self.model.score
        return self.passed / self.total if self.total else 0.0

    def case_records(self) -> list[dict[str, Any]]:
        """The cases as an attempt keeps them; a take-home's one case also carries its metric
        against the bar (not the breakdown), so history can show what the model scored."""
        out = [c.to_json() for c in self.cases]
        if self.model is not None and out:
            m = self.model
            out[0]["model"] = {"metric": m.metric, "value": _finite(m.value), "baseline": m.baseline,
                               "target": m.target, "margin": m.margin, "score": round(m.score, 6)}
        return out

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "question": self.question,
            "verdict": self.verdict,
            "passed": self.passed,
            "total": self.total,
            "sandbox": self.sandbox,
        }
        if self.bounds is not None:
            out["bounds"] = self.bounds
        out["cases"] = [c.to_json() for c in self.cases]
        if self.model is not None:
            out.update(self.model.to_json())
        return out
