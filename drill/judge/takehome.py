"""Judging a `model` (take-home) answer: fit and predict in the sandbox, the metric here.

The answer's `fit(train)` and `predict(model, test)` run in the judge's child like any
answer (drill/judge/code.py and _runner.py: same sandbox, limits, cgroup). What goes to
the child is the training file as shipped and the hidden test file **without its label
column**, rewritten here with the standard library's csv module (every other value is
copied as written, so the child's `pandas.read_csv` reads what it would read from the
original less one column). The labels, the days and the breakdown segments stay in this
process, which checks the returned scores and computes the metric
(drill/judge/metrics.py).

Everything read from a dataset is bounded (file size, decompressed size, rows), and the
returned scores are checked by exact type before any arithmetic.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from drill.judge.code import Stopper, judge_spec
from drill.judge.reports import SCORES
from drill.judge.spec import Case, Spec
from drill.judge.verdict import Breakdown, CheckResult, ModelOutcome, Segment, cut

CASE_NAME = "fit+predict"
FILE_CAP = 64 << 20  # a dataset file as shipped (a few MB is the norm)
TEXT_CAP = 256 << 20  # and what it may decompress to
ROW_CAP = 500_000  # rows of the hidden period (their scores must come back within the wire's caps)
FIELD_CAP = 1 << 20  # bytes in one CSV field
MAX_SEGMENTS = 12  # per breakdown table: the largest segments, the rest counted
DERIVED = ("week", "day")  # breakdown segments made from the time column when no column has the name


class DatasetError(Exception):
    """A dataset that cannot be used as the question declares it (the pack's problem)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ModelTask:
    """What judging a `model` answer needs from its question, as plain data."""

    uid: str
    train: Path
    test: Path
    label: str
    metric: dict[str, Any]  # name, and budget_per_day / costs / threshold as declared
    baseline: float
    target: float
    margin: float
    time: str | None = None
    id: str | None = None
    breakdown: list[dict[str, Any]] = field(default_factory=list)  # name, by, metric (or None)
    seconds: float = 120.0
    memory_mb: int = 2048
    requires: list[str] = field(default_factory=lambda: ["numpy", "pandas"])


@dataclass
class Hidden:
    """The hidden period as drill keeps it: labels and segments here, features for the child."""

    rows: int
    columns: list[str]  # the test file's header, label included
    labels: Any  # numpy bool array
    days: Any  # numpy int64 array of UTC day numbers, or None without a time column
    segments: dict[str, list[str]]  # breakdown `by` -> one segment label per row
    features: bytes  # the test file without its label column, as CSV text


# ------------------------------------------------------------------ reading the data


def read_file(path: Path, what: str) -> bytes:
    """A dataset file's bytes as shipped, bounded."""
    try:
        with open(path, "rb") as f:
            raw = f.read(FILE_CAP + 1)
    except FileNotFoundError:
        raise DatasetError(f"the {what} file {path} does not exist") from None
    except OSError as e:
        raise DatasetError(f"cannot read the {what} file {path}: {e.strerror or e}") from None
    if len(raw) > FILE_CAP:
        raise DatasetError(f"the {what} file {path} is over {FILE_CAP >> 20} MB")
    return raw


def is_gzip(path: Path) -> bool:
    return path.name.endswith(".gz")


def text_of(raw: bytes, path: Path, what: str) -> str:
    """The file's text: gunzipped when it is a .gz (never past TEXT_CAP), UTF-8."""
    data = raw
    if is_gzip(path):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as g:
                data = g.read(TEXT_CAP + 1)
        except (OSError, EOFError, ValueError) as e:
            raise DatasetError(f"the {what} file {path} is not valid gzip: {e}") from None
        if len(data) > TEXT_CAP:
            raise DatasetError(f"the {what} file {path} decompresses to over {TEXT_CAP >> 20} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DatasetError(f"the {what} file {path} is not UTF-8 text (byte {e.start})") from None


def _reader(text: str) -> Any:
    csv.field_size_limit(FIELD_CAP)
    return csv.reader(io.StringIO(text, newline=""))


def header_of(path: Path, what: str) -> list[str]:
    """The column names of a dataset file."""
    text = text_of(read_file(path, what), path, what)
    try:
        return next(_reader(text), [])
    except csv.Error as e:
        raise DatasetError(f"the {what} file {path} is not valid CSV: {e}") from None


def utc_day(text: str) -> datetime:
    """A time column's value as an aware UTC datetime (naive values are UTC); ValueError if unreadable."""
    stamp = datetime.fromisoformat(text.strip())
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def read_hidden(task: ModelTask) -> Hidden:
    """Read the hidden test file: labels, days and segments kept, the label column cut out."""
    import numpy as np

    path = task.test
    text = text_of(read_file(path, "test"), path, "test")
    rows = _reader(text)
    try:
        header = next(rows, None)
        if not header:
            raise DatasetError(f"the test file {path} is empty")
        where = {name: i for i, name in reversed(list(enumerate(header)))}
        for col, role in ((task.label, "label"), (task.time, "time"), (task.id, "id")):
            if col is not None and col not in where:
                raise DatasetError(f"the test file {path} has no {role} column '{col}'")
        by_cols = {}
        for b in task.breakdown:
            by = b["by"]
            if by in where:
                by_cols[by] = where[by]
            elif by not in DERIVED:
                raise DatasetError(f"the test file {path} has no column '{by}' (breakdown '{b['name']}')")
            elif task.time is None:
                raise DatasetError(f"breakdown '{b['name']}' by {by} needs the dataset's time column")
        li = where[task.label]
        ti = where.get(task.time) if task.time is not None else None
        ii = where.get(task.id) if task.id is not None else None
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header[:li] + header[li + 1:])
        labels: list[bool] = []
        days: list[int] = []
        weeks: list[str] = []
        dates: list[str] = []
        segs: dict[str, list[str]] = {by: [] for by in by_cols}
        seen_ids: set[str] = set()
        width = len(header)
        for n, row in enumerate(rows, 2):
            if not row:
                continue  # a blank line, as pandas skips it
            if len(row) != width:
                raise DatasetError(f"the test file {path}, line {n}: {len(row)} fields, the header has {width}")
            if len(labels) >= ROW_CAP:
                raise DatasetError(f"the test file {path} has over {ROW_CAP:,} rows")
            value = row[li].strip()
            if value in ("1", "1.0", "True", "true"):
                labels.append(True)
            elif value in ("0", "0.0", "False", "false"):
                labels.append(False)
            else:
                raise DatasetError(f"the test file {path}, line {n}: label {cut(value, 40)!r} is not 0 or 1")
            if ti is not None:
                try:
                    stamp = utc_day(row[ti])
                except ValueError:
                    raise DatasetError(f"the test file {path}, line {n}: time {cut(row[ti], 40)!r} "
                                       "is not an ISO 8601 date and time") from None
                d = stamp.date()
                days.append(d.toordinal())
                iso = d.isocalendar()
                weeks.append(f"{iso.year}-W{iso.week:02d}")
                dates.append(d.isoformat())
            if ii is not None:
                if row[ii] in seen_ids:
                    raise DatasetError(f"the test file {path}, line {n}: id {cut(row[ii], 40)!r} repeats")
                seen_ids.add(row[ii])
            for by, i in by_cols.items():
                segs[by].append(row[i])
            writer.writerow(row[:li] + row[li + 1:])
    except csv.Error as e:
        raise DatasetError(f"the test file {path} is not valid CSV: {e}") from None
    if not labels:
        raise DatasetError(f"the test file {path} has no rows")
    for b in task.breakdown:
        by = b["by"]
        if by not in segs:
            segs[by] = weeks if by == "week" else dates
    return Hidden(len(labels), header, np.array(labels, dtype=bool),
                  np.array(days, dtype=np.int64) if ti is not None else None, segs,
                  out.getvalue().encode("utf-8"))


# ------------------------------------------------------------------ judging


def judge_model(task: ModelTask, source: str, requested: str = "auto", launched: Any = None, *,
                hidden: Hidden | None = None, stopper: Stopper | None = None,
                meanwhile: Any = None, finish_later: list | None = None) -> tuple[CheckResult, list[str]]:
    """Run the answer's fit and predict in the judge's child; score its predictions here.

    Returns the CheckResult (one case, `fit+predict`, and `model`: the metric against the
    question's baseline and target) and notes for the user. DatasetError when the
    question's data cannot be used (raised before the answer runs).
    """
    try:
        hidden = hidden if hidden is not None else read_hidden(task)
        train = read_file(task.train, "train")
    except BaseException:
        if launched is not None:
            launched.cancel()
        raise
    requires = list(dict.fromkeys(["numpy", "pandas", *task.requires]))
    spec = Spec(uid=task.uid, entry="fit", is_class=False, cases=[Case(CASE_NAME, True, {"model": True}, None)],
                seconds=task.seconds, memory_mb=task.memory_mb, requires=requires, kind="model",
                entries=["fit", "predict"],
                data=[("train", train, is_gzip(task.train)), ("test", hidden.features, False)])
    result, notes = judge_spec(spec, source, requested, launched, stopper=stopper, meanwhile=meanwhile,
                               finish_later=finish_later)
    score(result, task, hidden)
    return result, notes


def score(result: CheckResult, task: ModelTask, hidden: Hidden) -> None:
    """Turn the case's returned value into scores, the metric, the breakdown and the verdict."""
    from drill.judge import metrics

    name = task.metric["name"]
    outcome = ModelOutcome(
        metric=name, params={k: v for k, v in task.metric.items() if k != "name" and v is not None},
        baseline=task.baseline, target=task.target, margin=task.margin,
        higher_is_better=metrics.higher_is_better(name), rows=hidden.rows, positives=int(hidden.labels.sum()))
    result.model = outcome
    if not result.cases:
        return
    case = result.cases[0]
    if case.status == "time_limit" and case.message.startswith("took longer than"):
        case.message = f"fit and predict did not finish within {task.seconds:g} s (their limit together)"
    if case.status != "passed":
        return
    scores = scores_from(case.actual, hidden.rows)
    case.actual = None  # thousands of numbers: not kept in the result
    if isinstance(scores, str):
        case.status, case.message = "wrong_answer", scores
        return
    value = metrics.evaluate(task.metric, hidden.labels, scores, hidden.days)
    outcome.value = value
    outcome.breakdown = [_table(task.metric, b, hidden, scores) for b in task.breakdown]
    if value != value:
        case.status = "internal_error"
        case.message = f"{name} is undefined on this hidden period (no positives, or no alerts): the pack's problem"
        return
    case.status = "passed" if outcome.reached else "wrong_answer"
    case.message = verdict_text(outcome)


def _table(metric: dict, row: dict, hidden: Hidden, scores: Any) -> Breakdown:
    from drill.judge import metrics

    name = row.get("metric") or metric["name"]
    segs, more = metrics.breakdown(metric, hidden.labels, scores, hidden.segments[row["by"]], hidden.days, name,
                                   largest=MAX_SEGMENTS)
    return Breakdown(row["name"], row["by"], name,
                     [Segment(cut(s["value"], 60), s["rows"], s["positives"], s["metric"]) for s in segs], more)


def verdict_text(o: ModelOutcome) -> str:
    """One line: the measured metric against the bar."""
    v = o.value if o.value is not None else math.nan
    bar = f"target {o.target:.4g} {'-' if o.higher_is_better else '+'} margin {o.margin:.4g}"
    if o.reached:
        return f"{o.metric} {v:.4f} reaches {o.bar:.4f} ({bar})"
    side = "short of" if o.higher_is_better else "above"
    return f"{o.metric} {v:.4f} is {side} {o.bar:.4f} ({bar}); the baseline is {o.baseline:.4g}"


# ------------------------------------------------------------------ the returned scores


def scores_from(value: Any, rows: int) -> Any:
    """The answer's return value (plain data from the child, untrusted) as a float64 array of
    `rows` finite scores, or a message saying what is wrong with it."""
    import numpy as np

    from drill.judge.mlcompare import describe, shape_text, tagged

    tag = tagged(value)
    data: Any
    if tag is not None:
        kind, f = tag
        if kind == "ndarray":
            shape = f["shape"]
            if type(shape) is not list or not all(type(n) is int for n in shape):
                return f"predict returned a malformed array; {SCORES}"
            if len(shape) == 2 and 1 in shape:
                data = [x for r in f["data"] for x in (r if type(r) is list else [r])]
            elif len(shape) != 1:
                hint = " (for predict_proba, take the positive class: [:, 1])" if len(shape) == 2 and shape[1] == 2 else ""
                return f"predict returned an array of shape {shape_text(shape)}; want ({rows},), one score per row{hint}"
            else:
                data = f["data"]
        elif kind == "series":
            data = _by_index(f["data"], f["index"], rows)
        else:
            return f"predict returned a pandas DataFrame; {SCORES}"
    elif type(value) in (list, tuple):
        data = value
    else:
        return f"predict returned {describe(value)}; {SCORES}"
    if type(data) not in (list, tuple):
        return f"predict returned a malformed value; {SCORES}"
    if len(data) != rows:
        return f"predict returned {len(data):,} scores for {rows:,} rows of test; want one per row, in row order"
    bad_kind = None
    for i, x in enumerate(data):
        t = type(x)
        if t is bool:
            bad_kind = (i, "a boolean (use floats, e.g. .astype(float))")
            break
        if t not in (int, float):
            bad_kind = (i, describe(x) if x is not None else "a missing value (None)")
            break
    if bad_kind is not None:
        i, what = bad_kind
        return f"score {i} is {what}; {SCORES}"
    arr = np.array([_float(x) for x in data], dtype=np.float64)
    bad = ~np.isfinite(arr)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        return f"{int(bad.sum()):,} score(s) are NaN or infinite (the first at row {first}); every score must be finite"
    return arr


def _float(x: int | float) -> float:
    try:
        return float(x)
    except OverflowError:  # an int past float's range: as good as infinite
        return math.inf


def _by_index(data: Any, index: Any, rows: int) -> Any:
    """A Series' values in the test frame's row order: by its index when that holds exactly the
    test frame's labels 0..rows-1 in another order (a sorted or shuffled Series), else as given."""
    if type(data) is not list or type(index) is not list or len(index) != rows or len(data) != rows:
        return data
    if not all(type(i) is int for i in index) or index == list(range(rows)):
        return data
    if sorted(index) != list(range(rows)):
        return data
    out: list = [None] * rows
    for label, value in zip(index, data, strict=True):
        out[label] = value
    return out
