"""Names the pack format fixes, importable without pydantic (start-up time matters)."""

from __future__ import annotations

BUILTIN_ROUNDS: tuple[str, ...] = (
    "screen",
    "coding",
    "sql",
    "system-design",
    "mlops",
    "ml-modeling",
    "data-pipelines",
    "deep-learning",
    "llm-safety",
    "behavioral",
    "stats",
    "ml-fundamentals",
    "take-home",
)
KINDS: tuple[str, ...] = ("code", "sql", "open", "choice", "numeric", "model")
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")

# The metrics a `model` (take-home) question may declare; drill.judge.metrics defines them.
METRICS: tuple[str, ...] = ("pr_auc", "roc_auc", "recall_at_budget", "precision_at_budget", "expected_cost")
LOWER_IS_BETTER: frozenset[str] = frozenset({"expected_cost"})
BUDGET_METRICS: frozenset[str] = frozenset({"recall_at_budget", "precision_at_budget"})

# Default budgets when a question gives no `minutes`: what interviewers usually allow.
DEFAULT_MINUTES = {
    "code": {"easy": 15, "medium": 25, "hard": 45},
    "sql": {"easy": 10, "medium": 20, "hard": 30},
    "open": {"easy": 10, "medium": 20, "hard": 35},
    "choice": {"easy": 2, "medium": 3, "hard": 5},
    "numeric": {"easy": 3, "medium": 5, "hard": 8},
    # A take-home: 90-180 minutes, as companies set them.
    "model": {"easy": 90, "medium": 120, "hard": 150},
}

# Recency weighting of attempts (weak areas, the stored `wt` column): an attempt's
# weight halves every this many days. The store and drill.progress.weakness share it.
HALF_LIFE_DAYS = 14.0
