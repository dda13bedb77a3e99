"""The metrics of `model` (take-home) questions, computed in drill's own process.

Exact definitions (docs/pack-format.md repeats them; the data helper's
tools/takehome_eval.py computes the same):

- pr_auc: average precision, the sum over distinct score thresholds taken from the
  highest down of (R_n - R_(n-1)) * P_n, where P_n and R_n are the precision and recall of
  alerting every row scoring at least the n-th threshold and R_0 = 0. Tied scores are one
  threshold (scikit-learn's average_precision_score).
- roc_auc: the Mann-Whitney statistic: the share of (positive, negative) pairs in which the
  positive scores higher, a tie counting one half.
- recall_at_budget / precision_at_budget: each UTC calendar day the `budget_per_day` rows
  with the highest scores are alerted, ties broken by row order (a stable sort by
  descending score); a day with fewer rows alerts them all. Recall is alerted positives over
  all positives of the period; precision is alerted positives over alerts.
- expected_cost: the mean cost per row, (fp * FP + fn * FN) / rows, alerting every row with
  score >= `threshold`, or the daily top `budget_per_day` as above. Lower is better.

A metric whose denominator is empty (no positives; for roc_auc no negatives; for precision
no alerts) is NaN. Breakdowns choose the alerts once, over whole days, then compute the
metric on each segment's rows; ranking metrics rank within the segment.

numpy is imported inside the functions: this module is imported by the judge, which must
not make `drill check` of a plain code question pay for numpy.
"""

from __future__ import annotations

import math
from typing import Any

from drill.constants import BUDGET_METRICS, LOWER_IS_BETTER

RANKING = frozenset({"pr_auc", "roc_auc"})


def higher_is_better(name: str) -> bool:
    return name not in LOWER_IS_BETTER


# ------------------------------------------------------------------ ranking metrics


def average_precision(pos: Any, scores: Any) -> float:
    """PR AUC as average precision; tied scores form one threshold. NaN without positives."""
    import numpy as np

    pos = np.asarray(pos, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    total = int(pos.sum())
    if total == 0:
        return math.nan
    order = np.argsort(-s, kind="stable")
    s_sorted, pos_sorted = s[order], pos[order]
    tp = np.cumsum(pos_sorted)
    last = np.r_[s_sorted[1:] != s_sorted[:-1], True]  # the last row of each run of equal scores
    tp_at = tp[last]
    alerts_at = np.flatnonzero(last) + 1
    recall = tp_at / total
    precision = tp_at / alerts_at
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def roc_auc(pos: Any, scores: Any) -> float:
    """Mann-Whitney AUC, ties counted half. NaN without positives or without negatives."""
    import numpy as np

    pos = np.asarray(pos, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    n_pos = int(pos.sum())
    n_neg = len(pos) - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = average_ranks(s)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_ranks(s: Any) -> Any:
    """1-based ranks, tied values sharing the mean of their ranks."""
    import numpy as np

    order = np.argsort(s, kind="stable")
    sorted_s = s[order]
    starts = np.r_[True, sorted_s[1:] != sorted_s[:-1]]
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    counts = np.diff(np.r_[first, len(s)])
    ranks = np.empty(len(s), dtype=np.float64)
    ranks[order] = (first + (counts + 1) / 2.0)[group]
    return ranks


# ------------------------------------------------------------------ alerts


def budget_alerts(scores: Any, days: Any, budget_per_day: int) -> Any:
    """Which rows the daily queue alerts: each day's top `budget_per_day` by score, ties by row order."""
    import numpy as np

    s = np.asarray(scores, dtype=np.float64)
    d = np.asarray(days)
    n = len(s)
    if len(d) != n:
        raise ValueError("scores and days differ in length")
    # By day, then descending score, then row order.
    order = np.lexsort((np.arange(n), -s, d))
    d_sorted = d[order]
    starts = np.r_[True, d_sorted[1:] != d_sorted[:-1]] if n else np.zeros(0, dtype=bool)
    first_of_day = np.maximum.accumulate(np.where(starts, np.arange(n), 0)) if n else np.zeros(0, dtype=np.int64)
    alerts = np.zeros(n, dtype=bool)
    alerts[order] = (np.arange(n) - first_of_day) < budget_per_day
    return alerts


def alerts_for(metric: dict, name: str, scores: Any, days: Any) -> Any:
    """The alerted rows for a threshold or budget metric `name`, with the question's parameters."""
    import numpy as np

    if name in BUDGET_METRICS or (name == "expected_cost" and metric.get("budget_per_day") is not None):
        return budget_alerts(scores, days, int(metric["budget_per_day"]))
    if name == "expected_cost":
        return np.asarray(scores, dtype=np.float64) >= float(metric["threshold"])
    raise ValueError(f"{name} alerts no rows: it ranks")


def recall(pos: Any, alerts: Any) -> float:
    total = int(pos.sum())
    return math.nan if total == 0 else float((pos & alerts).sum() / total)


def precision(pos: Any, alerts: Any) -> float:
    n = int(alerts.sum())
    return math.nan if n == 0 else float((pos & alerts).sum() / n)


def cost(pos: Any, alerts: Any, fp: float, fn: float) -> float:
    if len(pos) == 0:
        return math.nan
    false_pos = int((alerts & ~pos).sum())
    false_neg = int((~alerts & pos).sum())
    return (fp * false_pos + fn * false_neg) / len(pos)


def _on(metric: dict, name: str, pos: Any, scores: Any, alerts: Any) -> float:
    if name == "pr_auc":
        return average_precision(pos, scores)
    if name == "roc_auc":
        return roc_auc(pos, scores)
    if name == "recall_at_budget":
        return recall(pos, alerts)
    if name == "precision_at_budget":
        return precision(pos, alerts)
    if name == "expected_cost":
        costs = metric["costs"]
        return cost(pos, alerts, float(costs["fp"]), float(costs["fn"]))
    raise ValueError(f"unknown metric {name!r}")


# ------------------------------------------------------------------ a question's metric


def evaluate(metric: dict, pos: Any, scores: Any, days: Any = None, name: str | None = None) -> float:
    """The question's metric (or `name`, with the question's budget and costs) over the whole period.

    `metric` is the question's `metric` mapping (name, budget_per_day, costs, threshold),
    `pos` the labels as booleans, `days` each row's UTC day (any integer per day)."""
    import numpy as np

    name = name or metric["name"]
    pos = np.asarray(pos, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    alerts = None if name in RANKING else alerts_for(metric, name, s, days)
    return _on(metric, name, pos, s, alerts)


def breakdown(metric: dict, pos: Any, scores: Any, keys: Any, days: Any = None,
              name: str | None = None, largest: int | None = None) -> tuple[list[dict], int]:
    """The metric per segment (`keys`: one segment label per row), alerts decided once over
    whole days: one dict per segment, sorted by label, with value, rows, positives, metric.
    With `largest`, only that many segments, those with the most rows (ties: by label), are
    computed. Returns (segments, how many were left out)."""
    import numpy as np

    name = name or metric["name"]
    pos = np.asarray(pos, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    labels, group, counts = np.unique(np.asarray(keys, dtype=str), return_inverse=True, return_counts=True)
    chosen = np.arange(len(labels))
    if largest is not None and len(labels) > largest:
        chosen = np.sort(np.lexsort((np.arange(len(labels)), -counts))[:largest])
    alerts = None if name in RANKING else alerts_for(metric, name, s, days)
    order = np.argsort(group, kind="stable")  # the rows of each segment, in row order
    starts = np.r_[0, np.cumsum(counts)]
    out = []
    for g in chosen.tolist():
        rows = order[starts[g]:starts[g + 1]]
        sub = None if alerts is None else alerts[rows]
        out.append({"value": str(labels[g]), "rows": int(counts[g]), "positives": int(pos[rows].sum()),
                    "metric": _on(metric, name, pos[rows], s[rows], sub)})
    return out, len(labels) - len(chosen)


def reached(name: str, value: float, target: float, margin: float) -> bool:
    """The verdict rule: the metric reaches `target - margin` (costs: at most `target + margin`)."""
    if math.isnan(value):
        return False
    return value >= target - margin if higher_is_better(name) else value <= target + margin


def progress(value: float, baseline: float, target: float) -> float:
    """Where the metric falls from baseline (0) to target (1), clamped: the score for scheduling."""
    if math.isnan(value) or target == baseline:
        return 0.0
    return min(1.0, max(0.0, (value - baseline) / (target - baseline)))
