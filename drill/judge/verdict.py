"""Verdicts shared by the code judge, the SQL judge, audits and sessions.

Judges expose one function each and return a CheckResult:
- `drill.judge.code.judge_code(loaded, source, *, examples_only=False, sandbox="auto") -> CheckResult`
- `drill.sql.judge.judge_sql(loaded, query, *, examples_only=False) -> CheckResult`
where `loaded` is a `drill.packs.catalog.Loaded` (question model plus its hidden cases).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass
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


@dataclass
class CheckResult:
    question: str
    sandbox: str  # "bwrap" | "rlimit" (code), "sqlite" (sql)
    cases: list[CaseResult] = field(default_factory=list)
    error: str | None = None  # a problem with the whole answer (e.g. syntax error), if any
    # What bounded the answer's whole process tree (code questions): "cgroup-v1",
    # "cgroup-v2", or "rlimit" (per-process limits only); see docs/judge-sandbox.md.
    bounds: str | None = None

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
        return self.passed / self.total if self.total else 0.0

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
        return out
