"""The take-home metrics on hand-computed examples (ties included), checked against
scikit-learn where it has the same metric, and the checks on returned scores."""

from __future__ import annotations

import gzip
import math
import random
from pathlib import Path

import numpy as np
import pytest

from drill.judge import metrics
from drill.judge.takehome import DatasetError, ModelTask, read_hidden, scores_from

# Five rows over two days; written out so every number below can be checked by hand.
#            row:   0     1     2     3     4
LABELS = np.array([1, 0, 0, 1, 0], dtype=bool)
SCORES = np.array([0.5, 0.9, 0.5, 0.1, 0.3])
DAYS = np.array([1, 1, 1, 2, 2])
SEGMENTS = np.array(["a", "b", "a", "b", "a"], dtype=object)


def test_average_precision_by_hand():
    # Thresholds 0.9 (P 1, R 1/2), 0.8 (P 1/2, R 1/2), 0.7 (P 2/3, R 1), 0.1 (P 1/2, R 1).
    assert metrics.average_precision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]) == pytest.approx(0.5 + 0.5 * 2 / 3)


def test_tied_scores_are_one_threshold_in_average_precision():
    # The three 0.5s are one threshold: P 2/3 at R 1, so AP is 2/3. Taking them in row order
    # (positive first) would give 1/2 * 1 + 1/2 * 2/3 = 0.8333 instead.
    assert metrics.average_precision([1, 0, 0, 1], [0.5, 0.5, 0.2, 0.5]) == pytest.approx(2 / 3)
    assert metrics.average_precision([1, 0, 0, 1], [0.5, 0.5, 0.2, 0.5]) == pytest.approx(
        metrics.average_precision([1, 0, 0, 1][::-1], [0.5, 0.5, 0.2, 0.5][::-1]))


def test_roc_auc_counts_ties_half():
    # Pairs (positive, negative): (.8, .8) 1/2, (.8, .2) 1, (.5, .8) 0, (.5, .2) 1: 2.5 / 4.
    assert metrics.roc_auc([1, 0, 1, 0], [0.8, 0.8, 0.5, 0.2]) == pytest.approx(0.625)
    assert metrics.roc_auc([1, 0], [0.3, 0.3]) == pytest.approx(0.5)
    assert math.isnan(metrics.roc_auc([1, 1], [0.1, 0.2])) and math.isnan(metrics.average_precision([0, 0], [1, 2]))


def test_daily_budget_alerts_break_ties_by_row_order():
    # Budget 2: day 1 alerts row 1 (0.9) and, of the tied 0.5s, row 0 (earlier); day 2 alerts both rows.
    assert metrics.budget_alerts(SCORES, DAYS, 2).tolist() == [True, True, False, True, True]
    assert metrics.budget_alerts(SCORES, DAYS, 1).tolist() == [False, True, False, False, True]
    assert metrics.budget_alerts(SCORES, DAYS, 10).all()
    m = {"name": "recall_at_budget", "budget_per_day": 2}
    assert metrics.evaluate(m, LABELS, SCORES, DAYS) == 1.0
    assert metrics.evaluate(m, LABELS, SCORES, DAYS, "precision_at_budget") == 0.5
    # The same scores with the positive on row 2 instead: the tie now goes against it.
    assert metrics.evaluate(m, [0, 0, 1, 1, 0], SCORES, DAYS) == 0.5
    assert metrics.evaluate({**m, "budget_per_day": 1}, LABELS, SCORES, DAYS) == 0.0


def test_days_need_not_be_sorted():
    days = np.array([2, 1, 2, 1, 1])
    # Day 1: rows 1, 3, 4 -> top 1 is row 1 (0.9); day 2: rows 0, 2 tie at 0.5 -> row 0.
    assert metrics.budget_alerts(SCORES, days, 1).tolist() == [True, True, False, False, False]


def test_expected_cost_at_a_threshold_and_at_a_budget():
    costs = {"fp": 1.0, "fn": 10.0}
    at_threshold = {"name": "expected_cost", "costs": costs, "threshold": 0.5}
    # Alerted rows 0, 1, 2 (score >= 0.5): false positives 1 and 2, missed positive row 3.
    assert metrics.evaluate(at_threshold, LABELS, SCORES, DAYS) == pytest.approx((2 * 1 + 1 * 10) / 5)
    at_budget = {"name": "expected_cost", "costs": costs, "budget_per_day": 1}
    # Alerted rows 1 and 4: both false positives; rows 0 and 3 missed.
    assert metrics.evaluate(at_budget, LABELS, SCORES, DAYS) == pytest.approx((2 * 1 + 2 * 10) / 5)


def test_a_breakdown_chooses_alerts_over_whole_days_first():
    m = {"name": "recall_at_budget", "budget_per_day": 1}
    rows, more = metrics.breakdown(m, LABELS, SCORES, SEGMENTS, DAYS)
    assert more == 0
    # Alerts are rows 1 and 4 (each day's top), so neither segment's positive (rows 0, 3) is
    # caught. Choosing within segment "a" alone would alert row 0 on day 1: recall 1.
    assert rows == [{"value": "a", "rows": 3, "positives": 1, "metric": 0.0},
                    {"value": "b", "rows": 2, "positives": 1, "metric": 0.0}]
    two, _ = metrics.breakdown({**m, "budget_per_day": 2}, LABELS, SCORES, SEGMENTS, DAYS, "precision_at_budget")
    # Alerts rows 0, 1, 3, 4: segment a alerts rows 0 and 4 (one positive), b rows 1 and 3 (one).
    assert [(r["value"], r["metric"]) for r in two] == [("a", 0.5), ("b", 0.5)]
    ranked, _ = metrics.breakdown({"name": "roc_auc"}, LABELS, SCORES, SEGMENTS, DAYS)
    # Segment a: positive row 0 (0.5) against negatives 2 (0.5, a tie) and 4 (0.3): 1.5 / 2.
    assert ranked[0]["metric"] == pytest.approx(0.75) and math.isnan(
        metrics.breakdown({"name": "roc_auc"}, [1, 0, 0, 0, 0], SCORES, SEGMENTS, DAYS)[0][1]["metric"])


def test_a_breakdown_keeps_the_largest_segments_and_counts_the_rest():
    keys = ["x"] * 5 + ["y"] * 3 + ["z"] * 3 + ["w"]
    y = [1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1]
    s = [0.9, 0.1, 0.2, 0.3, 0.4, 0.8, 0.1, 0.2, 0.7, 0.1, 0.2, 0.5]
    rows, more = metrics.breakdown({"name": "roc_auc"}, y, s, keys, largest=2)
    # x (5 rows) and, of the two 3-row segments, y (first by label); z and w are counted.
    assert [(r["value"], r["rows"], r["positives"]) for r in rows] == [("x", 5, 1), ("y", 3, 1)] and more == 2
    assert rows[0]["metric"] == 1.0 and rows[1]["metric"] == 1.0
    # Ten thousand distinct ids stay quick: one pass, not one scan per id.
    import time

    n = 10_000
    t0 = time.monotonic()
    rows, more = metrics.breakdown({"name": "recall_at_budget", "budget_per_day": 5}, [i % 7 == 0 for i in range(n)],
                                   [i % 13 / 13 for i in range(n)], [f"id{i}" for i in range(n)], [i % 30 for i in range(n)],
                                   largest=12)
    assert len(rows) == 12 and more == n - 12 and time.monotonic() - t0 < 2


def test_the_verdict_rule_and_the_scheduling_score():
    assert metrics.reached("pr_auc", 0.45, 0.48, 0.03) and not metrics.reached("pr_auc", 0.4499, 0.48, 0.03)
    assert metrics.reached("expected_cost", 1.79, 1.69, 0.1) and not metrics.reached("expected_cost", 1.8, 1.69, 0.1)
    assert not metrics.reached("pr_auc", math.nan, 0.5, 0.1)
    assert metrics.progress(0.3, 0.2, 0.6) == pytest.approx(0.25)
    assert metrics.progress(0.1, 0.2, 0.6) == 0.0 and metrics.progress(0.9, 0.2, 0.6) == 1.0
    # Costs: lower is better, and the same formula measures the way from baseline to target.
    assert metrics.progress(2.0, 3.0, 1.0) == pytest.approx(0.5)


def test_the_metrics_agree_with_scikit_learn_on_tied_scores():
    sk = pytest.importorskip("sklearn.metrics")
    rng = random.Random(5)
    for trial in range(30):
        n = rng.randint(5, 400)
        y = [int(rng.random() < 0.2) for _ in range(n)]
        if not 0 < sum(y) < n:
            continue
        s = [round(rng.random(), 1 if trial % 2 else 3) for _ in range(n)]  # one decimal: many ties
        assert metrics.average_precision(y, s) == pytest.approx(sk.average_precision_score(y, s), abs=1e-12)
        assert metrics.roc_auc(y, s) == pytest.approx(sk.roc_auc_score(y, s), abs=1e-12)


def test_budget_recall_matches_a_plain_reading_of_the_definition():
    rng = random.Random(11)
    for _ in range(20):
        n = rng.randint(1, 300)
        y = [rng.random() < 0.1 for _ in range(n)]
        s = [round(rng.random(), 1) for _ in range(n)]
        d = [rng.randint(0, 5) for _ in range(n)]
        k = rng.randint(1, 20)
        alerted = set()
        for day in set(d):
            rows = [i for i in range(n) if d[i] == day]
            rows.sort(key=lambda i: -s[i])  # stable: ties stay in row order
            alerted.update(rows[:k])
        caught = sum(1 for i in alerted if y[i])
        want = caught / sum(y) if any(y) else math.nan
        got = metrics.evaluate({"name": "recall_at_budget", "budget_per_day": k}, y, s, d)
        assert (math.isnan(want) and math.isnan(got)) or got == pytest.approx(want)


# ------------------------------------------------------------------ returned scores


def tagged_array(data, shape, dtype="float64"):
    return {"ndarray": {"shape": shape, "dtype": dtype, "data": data}}


@pytest.mark.parametrize("value, message", [
    ([0.1, 0.2], "predict returned 2 scores for 3 rows of test; want one per row, in row order"),
    ("high", "predict returned a str; it must return one finite number per row of test"),
    (None, "predict returned None;"),
    ({"d": {}}, "predict returned a dict;"),
    ([0.1, True, 0.3], "score 1 is a boolean (use floats, e.g. .astype(float))"),
    ([0.1, None, 0.3], "score 1 is a missing value (None)"),
    ([0.1, [0.2], 0.3], "score 1 is a list"),
    ([0.1, math.nan, math.inf], "2 score(s) are NaN or infinite (the first at row 1)"),
    ([1, 10 ** 400, 2], "1 score(s) are NaN or infinite (the first at row 1)"),
    (tagged_array([[0.1, 0.9]] * 3, [3, 2]), "predict returned an array of shape (3, 2); want (3,), one score per "
                                             "row (for predict_proba, take the positive class: [:, 1])"),
    (tagged_array([[[0.1]]] * 3, [3, 1, 1]), "predict returned an array of shape (3, 1, 1)"),
    ({"dataframe": {"columns": ["s"], "dtypes": ["float64"], "index": [0, 1, 2], "data": [[1.0], [2.0], [3.0]]}},
     "predict returned a pandas DataFrame;"),
])
def test_malformed_scores_say_what_is_wrong(value, message):
    got = scores_from(value, 3)
    assert isinstance(got, str) and got.startswith(message), got


def test_a_series_is_read_by_its_index_when_it_holds_the_test_rows():
    # Sorted by score, as pandas users often leave it: index 2, 0, 1 holds rows 2, 0, 1.
    got = scores_from({"series": {"name": None, "dtype": "float64", "index": [2, 0, 1], "data": [0.9, 0.5, 0.1]}}, 3)
    assert got.tolist() == [0.5, 0.1, 0.9]
    # Any other index: by position.
    got = scores_from({"series": {"name": None, "dtype": "float64", "index": [7, 8, 9], "data": [0.9, 0.5, 0.1]}}, 3)
    assert got.tolist() == [0.9, 0.5, 0.1]


def test_scores_in_any_of_the_allowed_forms():
    want = [0.25, 1.0, -3.0]
    for value in ([0.25, 1, -3.0], (0.25, 1, -3), tagged_array(want, [3]), tagged_array([[x] for x in want], [3, 1]),
                  tagged_array([want], [1, 3]), tagged_array([0, 1, -3], [3], "int64"),
                  {"series": {"name": "p", "dtype": "float64", "index": [5, 6, 7], "data": want}}):
        got = scores_from(value, 3)
        assert not isinstance(got, str), got
        assert got.dtype == np.float64 and len(got) == 3


# ------------------------------------------------------------------ the hidden file


def write_gz(path: Path, text: str) -> Path:
    path.write_bytes(gzip.compress(text.encode()))
    return path


def task(tmp_path: Path, test_text: str, **kw) -> ModelTask:
    test = write_gz(tmp_path / "test.csv.gz", test_text)
    fields = {"uid": "t/q", "train": tmp_path / "train.csv.gz", "test": test, "label": "y",
              "metric": {"name": "recall_at_budget", "budget_per_day": 1}, "baseline": 0.1, "target": 0.5,
              "margin": 0.0, "time": "ts"}
    fields.update(kw)
    return ModelTask(**fields)


def test_the_hidden_file_loses_its_label_and_keeps_everything_else_as_written(tmp_path):
    text = ('id,ts,y,note\n'
            'a,2025-03-02T23:30:00-02:00,1,"quoted, with a comma"\n'
            'b,2025-03-02 10:00:00,0,\n'
            '\n'
            'c,2025-03-03T00:00:00Z,0,"two\nlines"\n')
    hidden = read_hidden(task(tmp_path, text, id="id", breakdown=[{"name": "w", "by": "week", "metric": None},
                                                                   {"name": "n", "by": "note", "metric": None}]))
    assert hidden.rows == 3 and hidden.labels.tolist() == [True, False, False]
    # 23:30 at UTC-2 is 01:30 UTC on 3 March (a Monday, ISO week 10); naive times are UTC.
    assert hidden.segments["week"] == ["2025-W10", "2025-W09", "2025-W10"]
    assert hidden.days.tolist()[0] == hidden.days.tolist()[2] == hidden.days.tolist()[1] + 1
    import pandas as pd

    frame = pd.read_csv(__import__("io").BytesIO(hidden.features))
    assert list(frame.columns) == ["id", "ts", "note"] and len(frame) == 3
    assert frame["note"].tolist()[0] == "quoted, with a comma" and frame["note"].tolist()[2] == "two\nlines"
    assert b",1," not in hidden.features and "y" not in frame.columns


@pytest.mark.parametrize("text, message", [
    ("id,ts,y\na,2025-03-01,2\n", "label '2' is not 0 or 1"),
    ("id,ts,y\na,yesterday,1\n", "time 'yesterday' is not an ISO 8601 date and time"),
    ("id,ts,y\na,2025-03-01,1,extra\n", "line 2: 4 fields, the header has 3"),
    ("id,ts\na,2025-03-01\n", "has no label column 'y'"),
    ("id,ts,y\n", "has no rows"),
    ("id,ts,y\na,2025-03-01,1\na,2025-03-02,0\n", "id 'a' repeats"),
])
def test_a_broken_hidden_file_is_a_dataset_error(tmp_path, text, message):
    with pytest.raises(DatasetError) as e:
        read_hidden(task(tmp_path, text, id="id"))
    assert message in e.value.message


def test_a_gzip_bomb_is_refused(tmp_path, monkeypatch):
    from drill.judge import takehome

    monkeypatch.setattr(takehome, "TEXT_CAP", 1000)
    with pytest.raises(DatasetError) as e:
        read_hidden(task(tmp_path, "id,ts,y\n" + "a,2025-03-01,1\n" * 200))
    assert "decompresses to over" in e.value.message
