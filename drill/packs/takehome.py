"""`model` (take-home) questions beyond the YAML: their files, their judging task, their checks.

- `task_for(loaded)`: what the judge needs (drill.judge.takehome.ModelTask), paths resolved
  against the pack file.
- `problems(...)`: what `drill packs validate` checks beyond the model's own validators:
  every file exists, `writeup` names an `open` question of the same pack, and (deep) the
  data is what the question says: the columns exist in both files, labels are 0/1 with
  both classes in the hidden period, times read as ISO 8601, pandas reads as many test
  rows as drill counts, and the metric is defined on the hidden period.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

Problem = tuple[tuple, str, bool]  # (location in the pack, message, at the key)


def task_for(loaded: Any) -> Any:
    """The judging task of a loaded `model` question (drill.packs.catalog.Loaded)."""
    from drill.judge.takehome import ModelTask

    q = loaded.question
    folder = loaded.pack_path.parent
    ds = q.dataset
    return ModelTask(
        uid=loaded.uid, train=folder / ds.train, test=folder / ds.test, label=ds.label,
        metric=q.metric.model_dump(exclude_none=True), baseline=q.baseline, target=q.target,
        margin=q.margin, time=ds.time, id=ds.id,
        breakdown=[{"name": b.name, "by": b.by, "metric": b.metric} for b in q.breakdown],
        seconds=q.limits.seconds, memory_mb=q.limits.memory_mb, requires=list(q.requires),
    )


def problems(q: Any, base: tuple, path: Path, questions: list, *, deep: bool) -> list[Problem]:
    """A `model` question's problems outside its own fields (None in `questions` is an invalid one)."""
    out: list[Problem] = []
    folder = path.parent
    ds = q.dataset
    missing = False
    for key in ("train", "test", "dictionary", "generator"):
        rel = getattr(ds, key)
        if rel is not None and not (folder / rel).is_file():
            out.append(((*base, "dataset", key), f"dataset {key} file '{rel}' does not exist", False))
            missing = missing or key in ("train", "test")
    for key in ("solution", "leaky_solution"):
        rel = getattr(q, key)
        if rel is not None and not (folder / rel).is_file():
            out.append(((*base, key), f"{key.replace('_', ' ')} file '{rel}' does not exist", False))
    if q.writeup is not None:
        target = next((o for o in questions if o is not None and o.id == q.writeup), None)
        if target is None:
            out.append(((*base, "writeup"), f"writeup '{q.writeup}' is no question of this pack", False))
        elif target.kind != "open":
            out.append(((*base, "writeup"), f"writeup '{q.writeup}' is a {target.kind} question, not an open one", False))
        elif target.id == q.id:
            out.append(((*base, "writeup"), "a question cannot be its own writeup", False))
    if deep and not missing:
        out += [((*base, "dataset"), msg, False) for msg in data_problems(q, path)]
    return out


def data_problems(q: Any, path: Path) -> list[str]:
    """The dataset against the question: read both files as the judge and the child would."""
    from drill.judge.takehome import DatasetError, header_of, read_hidden

    task = task_for(_Shim(q, path))
    try:
        train_cols = header_of(task.train, "train")
        hidden = read_hidden(task)
    except DatasetError as e:
        return [e.message]
    out = []
    ds = q.dataset
    for col, role in ((ds.label, "label"), (ds.time, "time"), (ds.id, "id")):
        if col is not None and col not in train_cols:
            out.append(f"the train file has no {role} column '{col}'")
    features = [c for c in hidden.columns if c != ds.label]
    if [c for c in train_cols if c != ds.label] != features:
        out.append("the train and test files have different columns (besides the label): "
                   f"train {_names(train_cols)}, test {_names(hidden.columns)}")
    positives = int(hidden.labels.sum())
    if positives == 0 or positives == hidden.rows:
        out.append(f"the hidden period needs both classes: {positives} of {hidden.rows} rows are positive")
    out += _pandas_rows(task, hidden.rows)
    return out


def _pandas_rows(task: Any, rows: int) -> list[str]:
    """pandas must read both files, and as many test rows as drill counts (the answer's
    scores are matched to them by position)."""
    import importlib.util

    if importlib.util.find_spec("pandas") is None:
        return []
    import pandas as pd

    out = []
    for what, file in (("train", task.train), ("test", task.test)):
        try:
            frame = pd.read_csv(file, low_memory=False)
        except Exception as e:  # the data's problem, whatever pandas raises
            out.append(f"pandas cannot read the {what} file: {type(e).__name__}: {str(e)[:200]}")
            continue
        if what == "test" and len(frame) != rows:
            out.append(f"pandas reads {len(frame):,} rows from the test file; drill counts {rows:,}")
    return out


def _names(cols: list[str]) -> str:
    shown = ", ".join(cols[:8]) + (", …" if len(cols) > 8 else "")
    return f"[{shown}]"


class _Shim:
    """A question and its pack file where task_for expects a Loaded."""

    def __init__(self, q: Any, path: Path) -> None:
        self.question = q
        self.pack_path = path
        self.uid = q.id
