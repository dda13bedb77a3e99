"""A take-home (`model` question) outside the judge: its workspace, and judging it in the background.

The round screen for take-homes is built on these two pieces (`drill check UID answer.py`
judges the same file from any shell):

- `prepare_workspace(loaded)` writes `$DRILL_HOME/workspace/takehome-<id>/` with the
  training data, the data dictionary, a starter `answer.py` (never over one already there)
  and a README with the brief, the metric and how to submit; the hidden test file is never
  copied. It returns a `Workspace` (paths, and whether the answer was new).
- `Submission(loaded, folder)` judges the folder's `answer.py` in a thread: the screen polls
  `done`, shows `elapsed`, can `cancel()` (the sandboxed run is killed at once), and reads
  `result()` (a CheckResult whose `model` holds the metric, baseline, target and
  breakdown; `drill.render.check.check_text` renders it) or the DrillError that stopped it.
- `save_last` / `load_last` keep the last judged submission's result beside the session's
  copy of its answer, tied to that exact text, so a resumed take-home knows what counts.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drill.answerfile import read_answer
from drill.errors import DrillError, InputError
from drill.judge.verdict import CheckResult

ANSWER = "answer.py"
DEFAULT_STARTER = '''import pandas as pd


def fit(train: pd.DataFrame):
    """Train on the training rows (every column, the label included); return what predict needs."""
    ...


def predict(model, test: pd.DataFrame):
    """One score per row of `test` (every column but the label), in row order; higher = more likely positive."""
    ...
'''


@dataclass
class Workspace:
    folder: Path
    answer: Path
    train: Path
    dictionary: Path
    readme: Path
    new_answer: bool  # False when an answer.py was already there (kept as it was)


def workspace_folder(loaded: Any, root: Path | None = None) -> Path:
    """Where a take-home's workspace lives: $DRILL_HOME/workspace/takehome-<id>/."""
    from drill.paths import workspace_dir

    return (root or workspace_dir()) / f"takehome-{loaded.question.id}"


def prepare_workspace(loaded: Any, root: Path | None = None) -> Workspace:
    """Write (or refresh) the take-home's workspace; InputError when it cannot be written or
    the pack's files cannot be read. The candidate's answer.py is never overwritten."""
    from drill.judge.takehome import DatasetError, header_of, read_file

    q = loaded.question
    if q.kind != "model":
        raise InputError(f"'{loaded.uid}' is a {q.kind} question, not a take-home")
    pack_dir = loaded.pack_path.parent
    folder = workspace_folder(loaded, root)
    train_src = pack_dir / q.dataset.train
    train_name = "train.csv.gz" if train_src.name.endswith(".gz") else "train.csv"
    try:
        raw = read_file(train_src, "train")
        columns = header_of(train_src, "train")
        dictionary = _dictionary(q, pack_dir, columns)
    except DatasetError as e:
        raise InputError(f"'{loaded.uid}': {e.message}") from None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        train = _write(folder / train_name, raw)
        dict_path = _write(folder / "dictionary.md", dictionary.encode("utf-8"))
        readme = _write(folder / "README.md", readme_text(loaded, train_name).encode("utf-8"))
        answer = folder / ANSWER
        new = not answer.exists()
        if new:
            _write(answer, (q.starter or DEFAULT_STARTER).encode("utf-8"))
    except OSError as e:
        raise InputError(f"cannot write the take-home workspace {folder}: {e.strerror or e}") from None
    return Workspace(folder, answer, train, dict_path, readme, new)


def _write(path: Path, data: bytes) -> Path:
    """Replace `path` with `data` without following a link planted in its place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return path


def _dictionary(q: Any, pack_dir: Path, columns: list[str]) -> str:
    from drill.judge.takehome import FILE_CAP

    if q.dataset.dictionary is not None:
        path = pack_dir / q.dataset.dictionary
        try:
            with open(path, "rb") as f:
                return f.read(FILE_CAP).decode("utf-8", "replace")
        except OSError as e:
            from drill.judge.takehome import DatasetError

            raise DatasetError(f"cannot read the data dictionary {path}: {e.strerror or e}") from None
    lines = ["# Data dictionary", "", "The pack ships no dictionary; the training file's columns are:", ""]
    lines += [f"- `{c}`" + (" (the label)" if c == q.dataset.label else "") for c in columns]
    return "\n".join(lines) + "\n"


def readme_text(loaded: Any, train_name: str = "train.csv.gz") -> str:
    """The workspace's README: the brief, what is scored and how, and how to submit."""
    from drill.render.question import metric_text

    q = loaded.question
    m = q.metric
    bar = q.target - q.margin if m.higher_is_better else q.target + q.margin
    ds = q.dataset
    parts = [
        f"# {q.title}", "", q.prompt.rstrip(), "",
        "## What is here", "",
        f"- `{train_name}`: the training rows, every column including the label `{ds.label}`.",
        "- `dictionary.md`: what each column means and when its value is known.",
        f"- `{ANSWER}`: your answer. Define `fit(train)` and `predict(model, test)`.", "",
        "## How it is scored", "",
        "`fit` gets the training rows as a pandas DataFrame (as `pandas.read_csv(file, low_memory=False)`",
        f"reads them); `predict` gets the hidden later period, every column but `{ds.label}`, and returns",
        "one finite score per row, in row order (a list, numpy array or pandas Series). The hidden",
        "labels never reach your code: drill keeps them and computes the metric.", "",
        f"- metric: {metric_text(m)}",
        f"- baseline (a naive rule): {q.baseline:g}",
        f"- target (the reference solution): {q.target:g}; you pass at {'>=' if m.higher_is_better else '<='} {bar:g}",
        f"- limits: {q.limits.seconds:g} s and {q.limits.memory_mb} MB for fit and predict together",
        f"- imports: the standard library and {', '.join(q.requires)}", "",
        "## Submit", "",
        f"From this folder: `drill check {loaded.uid} {ANSWER}`",
    ]
    if q.writeup:
        parts += ["", f"Then write it up: the next question is `{loaded.pack}/{q.writeup}`."]
    return "\n".join(parts) + "\n"


class Submission:
    """The folder's answer.py judged in a background thread (start at once; poll, cancel, read).

    The answer's text is read when the submission is made, so edits after submitting do not
    change what is judged. Errors that stop judging (a broken dataset, a sandbox that cannot
    be had) come back from `result()` as the DrillError they are.
    """

    def __init__(self, loaded: Any, folder: Path, sandbox: str = "auto") -> None:
        from drill.judge.code import Stopper
        from drill.packs.takehome import task_for

        self.uid = loaded.uid
        self.path = Path(folder) / ANSWER
        self.source = read_answer(self.path)
        # The judge reads the question as validated, not the round's cached view of it.
        loaded = loaded.full() if hasattr(loaded, "full") else loaded
        self.task = task_for(loaded)
        self.sandbox = sandbox
        self.notes: list[str] = []
        self.started = time.monotonic()
        self.ended: float | None = None
        self._stopper = Stopper()
        self._result: CheckResult | None = None
        self._error: DrillError | None = None
        self._thread = threading.Thread(target=self._run, name=f"drill-takehome-{loaded.question.id}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from drill.judge.takehome import DatasetError, judge_model

        try:
            result, self.notes = judge_model(self.task, self.source, self.sandbox, stopper=self._stopper)
            if not self._stopper.stopped:
                self._result = result
        except DatasetError as e:
            self._error = InputError(f"'{self.uid}' cannot be judged: {e.message}")
        except DrillError as e:
            self._error = e
        except Exception as e:  # never a traceback in the screen: say what broke
            self._error = DrillError(f"judging {self.uid} failed: {type(e).__name__}: {e}")
        finally:
            self.ended = time.monotonic()

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    @property
    def cancelled(self) -> bool:
        return self._stopper.stopped

    @property
    def elapsed(self) -> float:
        return (self.ended or time.monotonic()) - self.started

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the verdict up to `timeout` seconds; whether it is done."""
        self._thread.join(timeout)
        return self.done

    def cancel(self) -> None:
        """Stop judging now (the runner and what it started are killed); `result()` is then None."""
        self._stopper.stop()

    def result(self) -> CheckResult | None:
        """The verdict once done (None while running, or after cancel); raises what stopped judging."""
        if not self.done:
            return None
        if self._error is not None:
            raise self._error
        return self._result


# ---------------------------------------------------------------- the last submission, kept for resume

LAST_CAP = 256 * 1024  # a saved result is a few KB; anything larger is not one


def last_result_path(answer_copy: Path) -> Path:
    """Where the round keeps the judged result of the answer saved at `answer_copy`."""
    return answer_copy.with_name(answer_copy.name + ".result.json")


def save_last(answer_copy: Path, source: str, result: CheckResult) -> None:
    """Keep the last submission's result beside the session's copy of its answer, so a
    resumed take-home still knows what counts (it is tied to that exact text)."""
    import hashlib

    from drill.strictjson import dumps

    data = {"sha256": hashlib.sha256(source.encode("utf-8")).hexdigest(), "error": result.error,
            "result": result.to_json()}
    # Unwritable: a resumed take-home then asks for a new submission; the attempt is never lost.
    with contextlib.suppress(OSError):
        _write(last_result_path(answer_copy), dumps(data).encode("utf-8"))


def load_last(answer_copy: Path, source: str) -> CheckResult | None:
    """The result saved by `save_last` for exactly this answer text, or None (missing,
    unreadable, for another text, or not a take-home result)."""
    import hashlib
    import json

    try:
        with open(last_result_path(answer_copy), "rb") as f:
            raw = f.read(LAST_CAP + 1)
        if len(raw) > LAST_CAP:
            return None
        data = json.loads(raw)
        if data.get("sha256") != hashlib.sha256(source.encode("utf-8")).hexdigest():
            return None
        result = result_from_json(data["result"])
        err = data.get("error")
        result.error = err[:2000] if isinstance(err, str) else None
        return result
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def result_from_json(d: dict) -> CheckResult:
    """A take-home's CheckResult back from its `to_json()` (types checked, sizes bounded);
    ValueError/TypeError/KeyError when it is not one."""
    import math

    from drill.judge.verdict import (
        MESSAGE_CAP,
        STATUSES,
        Breakdown,
        CaseResult,
        ModelOutcome,
        Segment,
    )

    def text(v: Any, cap: int = 200) -> str:
        if not isinstance(v, str):
            raise TypeError("not text")
        return v[:cap]

    def num(v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise TypeError("not a number")
        return float(v)

    def opt(v: Any) -> float:
        return math.nan if v is None else num(v)

    cases = []
    for c in d["cases"][:4]:
        status = text(c["status"])
        cases.append(CaseResult(text(c["name"]), bool(c["hidden"]), status if status in STATUSES else "internal_error",
                                num(c["time_ms"]), text(c["message"], MESSAGE_CAP)))
    m = d["metric"]
    params: dict[str, Any] = {k: num(m[k]) for k in ("budget_per_day", "threshold") if m.get(k) is not None}
    if "budget_per_day" in params:
        params["budget_per_day"] = int(params["budget_per_day"])
    if m.get("costs") is not None:
        params["costs"] = {k: num(m["costs"][k]) for k in ("fp", "fn")}
    breakdown = [Breakdown(text(b["name"]), text(b["by"]), text(b["metric"]),
                           [Segment(text(s["segment"]), int(num(s["rows"])), int(num(s["positives"])), opt(s["value"]))
                            for s in b["segments"][:12]], int(num(b["more_segments"])))
                 for b in d["breakdown"][:6]]
    value = m["value"]
    outcome = ModelOutcome(metric=text(m["name"]), params=params, baseline=num(d["baseline"]),
                           target=num(d["target"]), margin=num(d["margin"]),
                           higher_is_better=bool(m["higher_is_better"]), rows=int(num(d["rows"])),
                           positives=int(num(d["positives"])), value=None if value is None else num(value),
                           breakdown=breakdown)
    bounds = d.get("bounds")
    return CheckResult(question=text(d["question"]), sandbox=text(d["sandbox"], 40), cases=cases,
                       bounds=bounds if isinstance(bounds, str) else None, model=outcome)
