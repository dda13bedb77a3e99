"""Metrics for the take-home (`model`) questions, and a command that measures the built-ins.

The judge of `model` questions (drill/judge/metrics.py) implements the same definitions,
stated here exactly, in code written apart on purpose: the baselines and targets in the
pack are measured here, and `drill packs audit` recomputes them with the judge's code, so
the two implementations check each other (tests/test_takehome_data.py and
tests/test_model_metrics.py pin both to the same hand-computed examples).

- ``average_precision`` (``pr_auc``): the sum over distinct score thresholds, taken from
  the highest down, of ``(R_n - R_(n-1)) * P_n``, where ``P_n`` and ``R_n`` are the
  precision and recall of alerting every row scoring at least the n-th threshold and
  ``R_0 = 0``. Rows with equal scores form one threshold (scikit-learn's
  ``average_precision_score``).
- ``roc_auc``: the Mann-Whitney statistic, the share of (positive, negative) pairs in
  which the positive scores higher, a tie counting one half.
- ``recall_at_budget`` / ``precision_at_budget``: each calendar day (the UTC date of the
  question's time column) the ``budget_per_day`` highest-scoring rows of that day are
  alerted; ties are broken by row order (a stable sort by descending score), and a day
  with fewer rows alerts them all. Recall is alerted positives over all positives of
  the whole period; precision is alerted positives over alerts.
- ``expected_cost``: the mean cost per row, ``(fp * FP + fn * FN) / rows``, alerting
  either every row with ``score >= threshold`` or the top ``budget_per_day`` rows of each
  day as above. Lower is better.

A metric is undefined (NaN) when its denominator is empty: no positives for the ranking
metrics and recall, no negatives for ROC AUC, no alerts for precision.

Breakdowns (`breakdown` in a question) decide the alerts once, over the whole test
period, then compute the metric on each segment's rows: recall of asset X at the budget
is the share of asset X's positives that the day-by-day queue picked up. Ranking metrics
(``pr_auc``, ``roc_auc``) rank within the segment. ``by: week`` and ``by: day`` segment by
the Monday of the row's ISO week and by its date.

Run ``python tools/takehome_eval.py`` to measure every built-in take-home (reference,
naive baseline rule, constant score, leaky reference) on the hidden period; each answer
runs in its own process, which reports its fit+predict seconds and peak memory. It exits
1 when a measured figure disagrees with the pack (a reference outside its target, a leaky
or constant answer that passes, a declared baseline or target that is not what is
measured).

Answers run with one OpenMP/BLAS thread (``--threads`` to change it). On a shared 2-core
machine, scikit-learn's gradient boosting with two OpenMP threads spent 10-30x longer in
wall time than with one (its threads spin while they wait for a core), and reserved over
twice the address space; the scores are bit-identical either way.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PACK_NAMES = ("take-home.yaml", "take-home.yaml.pending")
METRICS = ("pr_auc", "roc_auc", "recall_at_budget", "precision_at_budget", "expected_cost")
LOWER_IS_BETTER = frozenset({"expected_cost"})


# ------------------------------------------------------------------ scores


def as_scores(scores: Any, rows: int) -> np.ndarray:
    """The scores as a float array of length ``rows``; ValueError says what is wrong."""
    if isinstance(scores, (str, bytes, dict)) or scores is None:
        raise ValueError(f"predict returned {type(scores).__name__}, want one number per row")
    try:
        arr = np.asarray(scores)
    except Exception as e:  # an object whose conversion itself fails
        raise ValueError(f"predict's return value cannot be read as numbers: {e}") from None
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if arr.ndim != 1:
        raise ValueError(f"predict returned an array of shape {arr.shape}, want ({rows},)")
    if np.iscomplexobj(arr):
        raise ValueError("predict returned complex numbers")
    # Booleans are 0/1 decisions: fine for a threshold or a queue, if coarse for a ranking.
    if arr.dtype != bool and not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"predict returned {arr.dtype} values, want numbers")
    if len(arr) != rows:
        raise ValueError(f"predict returned {len(arr)} scores for {rows} rows")
    arr = arr.astype(np.float64)
    bad = ~np.isfinite(arr)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{int(bad.sum())} score(s) are NaN or infinite (first at row {first})")
    return arr


def _labels(y: Any) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim != 1 or not np.isin(arr, (0, 1)).all():
        raise ValueError("labels must be a 1-d array of 0 and 1")
    return arr.astype(bool)


# ------------------------------------------------------------------ ranking metrics


def average_precision(y: Any, scores: Any) -> float:
    """PR AUC as average precision; ties form one threshold. NaN without positives."""
    pos = _labels(y)
    s = np.asarray(scores, dtype=np.float64)
    total = int(pos.sum())
    if total == 0:
        return math.nan
    order = np.argsort(-s, kind="stable")
    s_sorted, pos_sorted = s[order], pos[order]
    tp = np.cumsum(pos_sorted)
    # The last row of each run of equal scores closes one threshold.
    last = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    tp_at = tp[last]
    alerts_at = np.flatnonzero(last) + 1
    recall = tp_at / total
    precision = tp_at / alerts_at
    gains = np.diff(np.r_[0.0, recall])
    return float(np.sum(gains * precision))


def roc_auc(y: Any, scores: Any) -> float:
    """Mann-Whitney AUC with ties counted half. NaN without positives or negatives."""
    pos = _labels(y)
    s = np.asarray(scores, dtype=np.float64)
    n_pos = int(pos.sum())
    n_neg = len(pos) - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = _average_ranks(s)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _average_ranks(s: np.ndarray) -> np.ndarray:
    """1-based ranks, tied values sharing the mean of their ranks."""
    order = np.argsort(s, kind="stable")
    sorted_s = s[order]
    starts = np.r_[True, sorted_s[1:] != sorted_s[:-1]]
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    counts = np.diff(np.r_[first, len(s)])
    mean_rank = first + (counts + 1) / 2.0
    ranks = np.empty(len(s), dtype=np.float64)
    ranks[order] = mean_rank[group]
    return ranks


# ------------------------------------------------------------------ alert queues


def utc_days(times: Any) -> np.ndarray:
    """The UTC calendar date of each timestamp, as day numbers since 1970-01-01.

    Naive timestamps are read as UTC; one that cannot be parsed is a ValueError.
    """
    import pandas as pd

    stamps = pd.to_datetime(pd.Series(times), utc=True, format="ISO8601")
    if stamps.isna().any():
        raise ValueError("the time column has missing or unreadable timestamps")
    naive = stamps.dt.tz_localize(None).to_numpy()
    return naive.astype("datetime64[D]").astype(np.int64)


def budget_alerts(scores: Any, days: Any, budget_per_day: int) -> np.ndarray:
    """Which rows the daily queue alerts: per day, the top ``budget_per_day`` by score,
    ties broken by row order."""
    s = np.asarray(scores, dtype=np.float64)
    d = np.asarray(days)
    if budget_per_day < 0:
        raise ValueError("budget_per_day must be >= 0")
    n = len(s)
    if len(d) != n:
        raise ValueError("scores and days differ in length")
    # Primary key the day, then descending score, then row order.
    order = np.lexsort((np.arange(n), -s, d))
    d_sorted = d[order]
    starts = np.r_[True, d_sorted[1:] != d_sorted[:-1]]
    first_of_day = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    rank_in_day = np.arange(n) - first_of_day
    alerts = np.zeros(n, dtype=bool)
    alerts[order] = rank_in_day < budget_per_day
    return alerts


def _recall(pos: np.ndarray, alerts: np.ndarray) -> float:
    total = int(pos.sum())
    return math.nan if total == 0 else float((pos & alerts).sum() / total)


def _precision(pos: np.ndarray, alerts: np.ndarray) -> float:
    n = int(alerts.sum())
    return math.nan if n == 0 else float((pos & alerts).sum() / n)


def recall_at_budget(y: Any, scores: Any, days: Any, budget_per_day: int) -> float:
    """Share of all positives alerted by the daily top-``budget_per_day`` queue."""
    return _recall(_labels(y), budget_alerts(scores, days, budget_per_day))


def precision_at_budget(y: Any, scores: Any, days: Any, budget_per_day: int) -> float:
    """Share of the daily queue's alerts that are positives."""
    return _precision(_labels(y), budget_alerts(scores, days, budget_per_day))


def _cost(pos: np.ndarray, alerts: np.ndarray, fp: float, fn: float) -> float:
    if len(pos) == 0:
        return math.nan
    false_pos = int((alerts & ~pos).sum())
    false_neg = int((~alerts & pos).sum())
    return (fp * false_pos + fn * false_neg) / len(pos)


def expected_cost(y: Any, scores: Any, fp: float, fn: float, *, threshold: float | None = None,
                  budget_per_day: int | None = None, days: Any = None) -> float:
    """Mean cost per row of alerting at ``threshold`` (score >= threshold) or at a daily budget."""
    return _cost(_labels(y), _cost_alerts(scores, threshold, budget_per_day, days), fp, fn)


def _cost_alerts(scores: Any, threshold: float | None, budget_per_day: int | None,
                 days: Any) -> np.ndarray:
    if (threshold is None) == (budget_per_day is None):
        raise ValueError("expected_cost needs exactly one of threshold and budget_per_day")
    if threshold is not None:
        return np.asarray(scores, dtype=np.float64) >= threshold
    if days is None:
        raise ValueError("expected_cost at a daily budget needs the days")
    return budget_alerts(scores, days, int(budget_per_day))  # type: ignore[arg-type]


# ------------------------------------------------------------------ a question's metric


def higher_is_better(name: str) -> bool:
    return name not in LOWER_IS_BETTER


def _alerts_for(metric: dict, name: str, scores: np.ndarray, days: Any) -> np.ndarray:
    if name in ("recall_at_budget", "precision_at_budget"):
        return budget_alerts(scores, days, int(metric["budget_per_day"]))
    return _cost_alerts(scores, metric.get("threshold"), metric.get("budget_per_day"), days)


def _on(name: str, metric: dict, pos: np.ndarray, scores: np.ndarray,
        alerts: np.ndarray | None) -> float:
    if name == "pr_auc":
        return average_precision(pos, scores)
    if name == "roc_auc":
        return roc_auc(pos, scores)
    assert alerts is not None
    if name == "recall_at_budget":
        return _recall(pos, alerts)
    if name == "precision_at_budget":
        return _precision(pos, alerts)
    if name == "expected_cost":
        costs = metric["costs"]
        return _cost(pos, alerts, float(costs["fp"]), float(costs["fn"]))
    raise ValueError(f"unknown metric {name!r}; known: {', '.join(METRICS)}")


def evaluate(metric: dict, y: Any, scores: Any, days: Any = None, name: str | None = None) -> float:
    """The question's metric (or ``name``, sharing its budget/costs) on the whole test period."""
    name = name or metric["name"]
    pos = _labels(y)
    s = np.asarray(scores, dtype=np.float64)
    alerts = None if name in ("pr_auc", "roc_auc") else _alerts_for(metric, name, s, days)
    return _on(name, metric, pos, s, alerts)


def segment_keys(by: str, frame: Any, days: np.ndarray | None) -> np.ndarray:
    """The segment of each row: a column's value, or the row's ISO week (Monday) or day."""
    if by in ("week", "day") and by not in frame.columns:
        if days is None:
            raise ValueError(f"a breakdown by {by} needs the time column's days")
        d = days.astype("datetime64[D]")
        if by == "week":
            # 1970-01-01 was a Thursday: shift so that weeks start on Monday.
            d = ((days + 3) // 7 * 7 - 3).astype("datetime64[D]")
        return d.astype(str)
    if by not in frame.columns:
        raise ValueError(f"breakdown column {by!r} is not in the test data")
    return frame[by].astype(str).to_numpy()


def breakdown(metric: dict, y: Any, scores: Any, frame: Any, by: str, days: Any = None,
              name: str | None = None) -> list[dict]:
    """The metric per segment, alerts decided once over the whole period.

    Returns one dict per segment value (sorted): value, rows, positives, metric.
    """
    name = name or metric["name"]
    pos = _labels(y)
    s = np.asarray(scores, dtype=np.float64)
    d = np.asarray(days) if days is not None else None
    alerts = None if name in ("pr_auc", "roc_auc") else _alerts_for(metric, name, s, d)
    keys = segment_keys(by, frame, d)
    out = []
    for value in sorted(set(keys.tolist())):
        mask = keys == value
        sub_alerts = None if alerts is None else alerts[mask]
        out.append({"value": value, "rows": int(mask.sum()), "positives": int(pos[mask].sum()),
                    "metric": _on(name, metric, pos[mask], s[mask], sub_alerts)})
    return out


def passed(name: str, value: float, target: float, margin: float) -> bool:
    """The verdict rule: reach the target within the margin (costs: stay under it)."""
    if math.isnan(value):
        return False
    return value >= target - margin if higher_is_better(name) else value <= target + margin


def progress(name: str, value: float, baseline: float, target: float) -> float:
    """Where the metric falls between baseline (0) and target (1), clamped to [0, 1]."""
    if math.isnan(value) or target == baseline:
        return 0.0
    return min(1.0, max(0.0, (value - baseline) / (target - baseline)))


# ------------------------------------------------------------------ measuring the built-ins


def find_pack(root: Path = ROOT) -> Path:
    for name in PACK_NAMES:
        path = root / "questions" / name
        if path.is_file():
            return path
    raise FileNotFoundError(f"no take-home pack in {root / 'questions'}")


def model_questions(pack_path: Path) -> list[dict]:
    import yaml

    pack = yaml.safe_load(pack_path.read_text(encoding="utf-8"))
    return [q for q in pack["questions"] if q.get("kind") == "model"]


def load_split(pack_dir: Path, q: dict) -> tuple[Any, Any]:
    import pandas as pd

    ds = q["dataset"]
    return (pd.read_csv(pack_dir / ds["train"], low_memory=False),
            pd.read_csv(pack_dir / ds["test"], low_memory=False))


def _child(solution: str, train_csv: str, test_csv: str, label: str, out: str) -> None:
    """Run one answer the way the judge does: fit on train, predict on test without its label."""
    import importlib.util
    import resource

    import pandas as pd

    train = pd.read_csv(train_csv, low_memory=False)
    test = pd.read_csv(test_csv, low_memory=False).drop(columns=[label])
    spec = importlib.util.spec_from_file_location("answer", solution)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    start, cpu_start = time.perf_counter(), time.process_time()
    model = module.fit(train)
    scores = as_scores(module.predict(model, test), len(test))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    status = Path("/proc/self/status").read_text() if Path("/proc/self/status").exists() else ""
    vm_peak = next((int(line.split()[1]) // 1024 for line in status.splitlines()
                    if line.startswith("VmPeak:")), -1)
    np.save(out + ".npy", scores)
    Path(out + ".json").write_text(json.dumps({
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "vm_peak_mb": vm_peak,
    }))


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def run_answer(solution: Path, train_csv: Path, test_csv: Path, label: str,
               timeout: float = 600, threads: int = 1) -> tuple[np.ndarray, dict]:
    """Scores and resource figures of one answer, run in a fresh Python process."""
    env = {**os.environ, "PYTHONHASHSEED": "0", **dict.fromkeys(THREAD_VARIABLES, str(threads))}
    with tempfile.TemporaryDirectory(prefix="takehome-") as tmp:
        out = str(Path(tmp) / "scores")
        subprocess.run([sys.executable, __file__, "--child", str(solution), str(train_csv),
                        str(test_csv), label, out], check=True, timeout=timeout, env=env)
        return np.load(out + ".npy"), json.loads(Path(out + ".json").read_text())


def measure(q: dict, pack_dir: Path, threads: int = 1) -> dict:
    """Metric of the reference, the baseline rule, a constant and the leaky reference."""
    import pandas as pd

    ds = q["dataset"]
    test = pd.read_csv(pack_dir / ds["test"], low_memory=False)
    y = test[ds["label"]].to_numpy()
    days = utc_days(test[ds["time"]])
    metric = q["metric"]
    sols = {
        "target": pack_dir / q["solution"],
        "leaky": pack_dir / q["leaky_solution"],
        "baseline": (pack_dir / q["solution"]).with_name(f"{q['id']}-baseline.py"),
    }
    row: dict[str, Any] = {"id": q["id"], "metric": metric["name"]}
    for role, path in sols.items():
        scores, figures = run_answer(path, pack_dir / ds["train"], pack_dir / ds["test"], ds["label"],
                                     threads=threads)
        row[role] = evaluate(metric, y, scores, days)
        row[f"{role}_figures"] = figures
        if role == "target":
            row["breakdown"] = [
                {"name": b["name"], "rows": breakdown(metric, y, scores, test, b["by"], days,
                                                      b.get("metric"))}
                for b in q.get("breakdown", [])]
    row["constant"] = evaluate(metric, y, np.zeros(len(test)), days)
    return row


def _fmt(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.4f}"


def problems(q: dict, row: dict) -> list[str]:
    """What is wrong with a question's declared numbers against the measured ones."""
    name = q["metric"]["name"]
    out = []
    if not passed(name, row["target"], q["target"], q["margin"]):
        out.append(f"{q['id']}: reference {_fmt(row['target'])} misses target {q['target']} ± {q['margin']}")
    if passed(name, row["leaky"], q["target"], q["margin"]):
        out.append(f"{q['id']}: leaky reference {_fmt(row['leaky'])} passes")
    better = (lambda a, b: a > b) if higher_is_better(name) else (lambda a, b: a < b)
    if better(row["constant"], row["baseline"]):
        out.append(f"{q['id']}: constant {_fmt(row['constant'])} beats the baseline {_fmt(row['baseline'])}")
    for role in ("baseline", "target"):
        if abs(row[role] - q[role]) > 5e-4:
            out.append(f"{q['id']}: measured {role} {_fmt(row[role])}, the pack says {q[role]}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*", help="take-home ids (default: all)")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON")
    parser.add_argument("--threads", type=int, default=1, help="OpenMP/BLAS threads per answer (default 1)")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    pack = find_pack()
    rows, bad = [], []
    for q in model_questions(pack):
        if args.ids and q["id"] not in args.ids:
            continue
        row = measure(q, pack.parent, args.threads)
        rows.append(row)
        bad += problems(q, row)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print("| take-home | metric | baseline | target (reference) | constant | leaky | "
              "reference fit+predict s (CPU s) | peak RSS MB | VmPeak MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            f = r["target_figures"]
            print(f"| {r['id']} | {r['metric']} | {_fmt(r['baseline'])} | {_fmt(r['target'])} | "
                  f"{_fmt(r['constant'])} | {_fmt(r['leaky'])} | {f['seconds']:.1f} "
                  f"({f['cpu_seconds']:.1f}) | {f['peak_rss_mb']} | {f['vm_peak_mb']} |")
        for r in rows:
            for b in r["breakdown"]:
                cells = ", ".join(f"{x['value']}: {_fmt(x['metric'])} ({x['positives']}/{x['rows']})"
                                  for x in b["rows"])
                print(f"\n{r['id']}, {b['name']}: {cells}")
    for p in bad:
        print(f"problem: {p}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
