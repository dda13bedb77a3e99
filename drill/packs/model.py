"""The question-pack format, version 1, as typed models.

This module is the contract for pack authors: each field's docstring is its
documentation, and `drill packs schema` publishes these models as JSON Schema.
Packs written against format 1 must keep loading: extend, never rename.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from drill.constants import (  # noqa: F401
    BUDGET_METRICS,
    BUILTIN_ROUNDS,
    DEFAULT_MINUTES,
    DIFFICULTIES,
    KINDS,
    LOWER_IS_BETTER,
    METRICS,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(
            f"{value!r} is not a slug: use lowercase letters, digits, '-' and '_', "
            "starting with a letter or digit"
        )
    return value


Slug = Annotated[str, Field(min_length=1, max_length=80)]


class _Strict(BaseModel):
    # Unknown keys are errors so that a typo never passes silently.
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        populate_by_name=True,
        use_attribute_docstrings=True,
        frozen=False,
    )


# ---------------------------------------------------------------- code


class Compare(_Strict):
    """How a code question's return values are compared with the expected ones."""

    rel_tol: float = Field(default=1e-6, ge=0)
    """Relative tolerance for floats."""
    abs_tol: float = Field(default=1e-9, ge=0)
    """Absolute tolerance for floats."""
    unordered: bool = False
    """Compare lists as multisets (order does not matter)."""
    ignore_row_order: bool = False
    """Rows of a returned dataframe or series (and the first axis of an array) compare as a multiset."""
    ignore_index: bool = True
    """The index of a returned series or dataframe is not compared (set false when it is part of the answer)."""
    ignore_column_order: bool = False
    """A returned dataframe's columns compare as a set, matched by name."""
    ignore_dtype_width: bool = True
    """int32 vs int64 (float32 vs float64) is no difference; the kind still is, when `returns.dtype` is given."""
    strict_types: bool = False
    """When true, an `array`, `series` or `dataframe` question rejects plain lists, and a `value` one numpy/pandas results."""


# Dtype names a pack may use for arguments and results (drill.judge._mlchild builds them).
ARRAY_DTYPES = ("float64", "float32", "int64", "int32", "bool", "str", "datetime64[ns]")
PANDAS_DTYPES = (*ARRAY_DTYPES, "Int64", "category")


class Argument(_Strict):
    """How one parameter of a code question is built from each case's JSON value."""

    type: Literal["value", "array", "series", "dataframe"] = "value"
    """value (plain JSON, the default), array (numpy.ndarray), series (pandas.Series) or dataframe (pandas.DataFrame)."""
    dtype: str | None = None
    """For array and series: float64, float32, int64, int32, bool, str, datetime64[ns]; Int64 and category for series only. Default: inferred."""
    columns: dict[str, str] | None = None
    """For dataframe (required): column name -> dtype, in order; the frame has exactly these columns."""
    name: str | None = None
    """For series: the series name."""
    index: str | None = None
    """For series and dataframe: the column of the case data to use as the index (default: a RangeIndex)."""

    @model_validator(mode="after")
    def _check_argument(self) -> Argument:
        t = self.type
        allowed = ARRAY_DTYPES if t == "array" else PANDAS_DTYPES
        if self.dtype is not None:
            if t not in ("array", "series"):
                raise ValueError(f"'dtype' is for array and series arguments, not {t}")
            if self.dtype not in allowed:
                raise ValueError(f"dtype {self.dtype!r} is not one of {', '.join(allowed)}")
        if t == "dataframe":
            if not self.columns:
                raise ValueError("a dataframe argument needs 'columns' (name -> dtype)")
            for col, dt in self.columns.items():
                if dt not in PANDAS_DTYPES:
                    raise ValueError(f"column {col!r}: dtype {dt!r} is not one of {', '.join(PANDAS_DTYPES)}")
            if self.index is not None and self.index not in self.columns:
                raise ValueError(f"index {self.index!r} is not one of the declared columns")
        elif self.columns is not None:
            raise ValueError(f"'columns' is for dataframe arguments, not {t}")
        if self.name is not None and t != "series":
            raise ValueError(f"'name' is for series arguments, not {t}")
        if self.index is not None and t not in ("series", "dataframe"):
            raise ValueError(f"'index' is for series and dataframe arguments, not {t}")
        return self


class Returns(_Strict):
    """What a code question expects back, beyond plain values."""

    type: Literal["value", "scalar", "array", "series", "dataframe"] = "value"
    """value (plain data, the default), scalar, array, series or dataframe; says how `expected` is written."""
    dtype: str | None = None
    """The expected dtype; its kind (float, int, bool, datetime, str) is checked, its width only when `compare.ignore_dtype_width` is false."""

    @field_validator("dtype")
    @classmethod
    def _check_dtype(cls, dtype: str | None) -> str | None:
        if dtype is not None and dtype not in PANDAS_DTYPES:
            raise ValueError(f"dtype {dtype!r} is not one of {', '.join(PANDAS_DTYPES)}")
        return dtype


class Limits(_Strict):
    """Per-case resource limits for judging an answer."""

    seconds: float = Field(default=2.0, gt=0, le=60)
    """Wall-clock and CPU seconds allowed for one case."""
    memory_mb: int = Field(default=512, ge=32, le=8192)
    """Address-space limit in megabytes."""


class CodeCase(_Strict):
    """One test case of a `code` question.

    For a `function` question: `args` (and optionally `kwargs`) and `expected`, the return value.
    For a `class` question: `calls`, a list of `[METHOD, [ARGS...]]` whose first call is
    `__init__`, and `expected`, the list of return values (null for the constructor).
    """

    name: str | None = None
    """A short name shown in verdicts (defaults to example-N / test-N)."""
    args: list[Any] | None = None
    """Positional arguments for the function."""
    kwargs: dict[str, Any] | None = None
    """Keyword arguments for the function."""
    calls: list[list[Any]] | None = None
    """For class questions: `[[METHOD, [ARGS...]], ...]`, starting with `__init__`."""
    expected: Any
    """The expected return value (function) or list of return values (class)."""


class SqlCase(_Strict):
    """One dataset of a `sql` question: rows per table, and the rows the query must return."""

    name: str | None = None
    """A short name shown in verdicts."""
    data: dict[str, list[list[Any]]] = Field(default_factory=dict)
    """Rows to insert, per table name, in the column order of the schema."""
    expected: list[list[Any]]
    """The result rows, each a list of column values (null for NULL)."""


class RubricPoint(_Strict):
    """One checkable point of an open question's rubric."""

    point: str = Field(min_length=3)
    """What a good answer states, specific enough to tick or not."""
    weight: float = Field(default=1.0, gt=0)
    """Relative weight of the point in the score."""
    must: bool = False
    """A point a real interviewer would insist on; missing it rates the attempt Again."""
    keywords: list[str] = Field(default_factory=list)
    """Words or phrases (with synonyms) whose presence in an answer suggests the point; give
    several: a point is suggested on two of them, or on one phrase of three specific words."""


class _QuestionBase(_Strict):
    id: str
    """Slug, unique in its pack; the question's uid is `<pack>/<id>`."""
    round: str
    """Round slug: screen, coding, sql, system-design, mlops, ml-modeling, data-pipelines,
    deep-learning, llm-safety, behavioral, stats, ml-fundamentals, take-home, or any other
    slug for a custom round."""
    title: str = Field(min_length=1)
    """A short title."""
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    """easy, medium or hard."""
    tags: list[str] = Field(default_factory=list)
    """Topic slugs, used for weak-area tracking and selection."""
    minutes: float | None = Field(default=None, gt=0, le=600)
    """Time budget in minutes (default depends on kind and difficulty)."""
    prompt: str = Field(min_length=1)
    """The question, in Markdown."""
    hints: list[str] = Field(default_factory=list)
    """Hints, revealed one at a time on request."""

    _check_id = field_validator("id", "round")(check_slug)

    @field_validator("tags")
    @classmethod
    def _check_tags(cls, tags: list[str]) -> list[str]:
        for t in tags:
            check_slug(t)
        return tags

    @model_validator(mode="after")
    def _default_minutes(self) -> _QuestionBase:
        if self.minutes is None:
            self.minutes = float(DEFAULT_MINUTES[self.kind][self.difficulty])  # type: ignore[attr-defined]
        return self


class CodePart(_Strict):
    """A follow-up part of a `code` question: the interviewer changes the constraints
    ("now the events arrive as a stream", "now in O(n log n)") once the previous part is
    submitted. Judged on its own tests, under the question's clock. Fields it leaves out
    (entry point, compare, limits) are the main question's."""

    title: str = Field(min_length=1)
    """A short title for the part."""
    prompt: str = Field(min_length=1)
    """What changes, in Markdown."""
    function: str | None = None
    """Name of the function this part's answer defines (default: the main question's entry)."""
    class_: str | None = Field(default=None, alias="class")
    """Name of the class this part's answer defines (default: the main question's entry)."""
    starter: str | None = None
    """Starter code for the part (default: the candidate's code so far)."""
    examples: list[CodeCase] = Field(default_factory=list)
    """Visible cases of the part."""
    tests: list[CodeCase] = Field(default_factory=list)
    """Hidden cases of the part (at least one, here or in `tests_file`)."""
    tests_file: str | None = None
    """A JSON file next to the pack with further hidden cases of the part."""
    solution: str | None = None
    """Reference solution of the part, a path relative to the pack file."""
    compare: Compare | None = None
    """How results are compared (default: the main question's)."""
    limits: Limits | None = None
    """Per-case limits (default: the main question's)."""
    arguments: dict[str, Argument] | None = None
    """Which parameters are arrays, series or frames (default: the main question's)."""
    returns: Returns | None = None
    """What the part's answer returns (default: the main question's)."""
    hints: list[str] = Field(default_factory=list)
    """Hints for the part."""
    weight: float = Field(default=0.5, gt=0, le=10)
    """The part's weight in the question's score, relative to the main part's 1.0."""
    equivalent_mutants: list[str] = Field(default_factory=list)
    """Mutant ids of the part's reference that behave like it."""

    @model_validator(mode="after")
    def _check_part(self) -> CodePart:
        if self.function is not None and self.class_ is not None:
            raise ValueError("a part gives at most one of 'function' or 'class'")
        if not self.tests and not self.tests_file:
            raise ValueError("a part needs at least one hidden test in 'tests' or 'tests_file'")
        return self


class CodeQuestion(_QuestionBase):
    """Write a Python function or class; judged on hidden tests."""

    kind: Literal["code"]
    """Question kind."""
    function: str | None = None
    """Name of the function the answer defines (give `function` or `class`)."""
    class_: str | None = Field(default=None, alias="class")
    """Name of the class the answer defines (LeetCode design-problem style)."""
    starter: str = ""
    """Starter code shown in the editor."""
    examples: list[CodeCase] = Field(default_factory=list)
    """Visible cases, shown with the prompt."""
    tests: list[CodeCase] = Field(default_factory=list)
    """Hidden cases (at least one, here or in `tests_file`)."""
    tests_file: str | None = None
    """A JSON file next to the pack with a list of further hidden cases (for large inputs)."""
    compare: Compare = Field(default_factory=Compare)
    """How results are compared."""
    limits: Limits = Field(default_factory=Limits)
    """Per-case limits."""
    solution: str | None = None
    """Reference solution, a path relative to the pack file."""
    requires: list[str] = Field(default_factory=list)
    """Packages the answer may import beyond the standard library (e.g. numpy), importable
    read-only in the sandbox; missing ones make the question unavailable."""
    arguments: dict[str, Argument] = Field(default_factory=dict)
    """Parameter name -> how each case's value is built (numpy arrays, pandas series and
    dataframes); the i-th entry is positional argument i, or the keyword argument of that name."""
    returns: Returns = Field(default_factory=Returns)
    """What the answer returns (array, series, dataframe...), which says how `expected` is written."""
    equivalent_mutants: list[str] = Field(default_factory=list)
    """Mutant ids from `drill packs audit --mutants` that behave like the solution."""
    parts: list[CodePart] = Field(default_factory=list)
    """Follow-up parts, revealed one after another once the previous one is submitted."""

    @model_validator(mode="after")
    def _check_code(self) -> CodeQuestion:
        if (self.function is None) == (self.class_ is None):
            raise ValueError("a code question needs exactly one of 'function' or 'class'")
        if not self.tests and not self.tests_file:
            raise ValueError("a code question needs at least one hidden test in 'tests' or 'tests_file'")
        for name in self.arguments:
            if not name.isidentifier():
                raise ValueError(f"argument name {name!r} is not a Python identifier")
        if self.class_ is not None and self.returns.type != "value":
            raise ValueError("'returns' is for function questions: a class question's calls compare as values")
        # pandas brings numpy with it, so an array may come from either.
        needs = {"array": ("numpy", "pandas"), "series": ("pandas",), "dataframe": ("pandas",)}
        for kind in [a.type for a in self.arguments.values()] + [self.returns.type]:
            modules = needs.get(kind, ())
            if modules and not set(modules) & set(self.requires):
                raise ValueError(f"a question with {kind} arguments or results needs "
                                 f"{' or '.join(repr(m) for m in modules)} in 'requires'")
        return self

    @property
    def entry(self) -> str:
        return self.function or self.class_ or ""

    @property
    def is_class(self) -> bool:
        return self.class_ is not None

    def part(self, k: int) -> CodeQuestion:
        """Part k (1-based; 0 is the question itself) as a question of its own, with what
        the part leaves out taken from this one, so that judging and auditing need nothing new."""
        if k == 0:
            return self
        if not 1 <= k <= len(self.parts):
            raise IndexError(k)
        p = self.parts[k - 1]
        entry = {"function": p.function, "class_": None} if p.function else (
            {"function": None, "class_": p.class_} if p.class_ else {})
        return self.model_copy(update={
            **entry, "title": f"{self.title}: {p.title}", "prompt": p.prompt,
            "starter": p.starter or "", "examples": p.examples, "tests": p.tests,
            "tests_file": p.tests_file, "solution": p.solution,
            "compare": p.compare or self.compare, "limits": p.limits or self.limits,
            "arguments": self.arguments if p.arguments is None else p.arguments,
            "returns": p.returns or self.returns,
            "hints": p.hints, "equivalent_mutants": p.equivalent_mutants, "parts": [],
        })


class SqlQuestion(_QuestionBase):
    """Write one SQLite SELECT; judged on hidden datasets."""

    kind: Literal["sql"]
    """Question kind."""
    schema_: str = Field(alias="schema", min_length=1)
    """CREATE TABLE statements for the datasets."""
    starter: str = ""
    """Starter query shown in the editor."""
    examples: list[SqlCase] = Field(default_factory=list)
    """Visible datasets."""
    tests: list[SqlCase] = Field(min_length=1)
    """Hidden datasets (at least one)."""
    ordered: bool = False
    """Whether row order matters (otherwise rows compare as a multiset)."""
    limits: Limits = Field(default_factory=Limits)
    """Per-case limits."""
    solution: str | None = None
    """Reference query, a path relative to the pack file."""


class Followup(_Strict):
    """A probe the interviewer asks after the main answer (or the previous probe) is
    submitted and self-graded, under the same clock."""

    prompt: str = Field(min_length=1)
    """The probe, in Markdown."""
    rubric: list[RubricPoint] = Field(min_length=1)
    """Its own checkable points (at least one)."""
    model_answer: str = Field(min_length=1)
    """A short model answer to the probe."""
    weight: float = Field(default=0.5, gt=0, le=10)
    """The probe's weight in the question's score, relative to the main answer's 1.0."""


class OpenQuestion(_QuestionBase):
    """Answer in free text against the clock, then self-grade against the rubric."""

    kind: Literal["open"] = "open"
    """Question kind (the default)."""
    rubric: list[RubricPoint] = Field(min_length=3)
    """At least three checkable points."""
    model_answer: str = Field(min_length=1)
    """A model answer in Markdown, shown after self-grading."""
    pitfalls: list[str] = Field(default_factory=list)
    """Common mistakes, shown with the model answer."""
    followups: list[Followup] = Field(default_factory=list)
    """Follow-up probes, asked one after another once the answer is self-graded."""


class ChoiceQuestion(_QuestionBase):
    """Pick one (or several) of the given choices."""

    kind: Literal["choice"]
    """Question kind."""
    choices: list[str] = Field(min_length=2)
    """The options, in order."""
    answer: int | list[int]
    """0-based index of the right choice, or a list of them when several are right."""
    explanation: str = ""
    """Why the answer is right, shown after answering."""


class NumericQuestion(_QuestionBase):
    """Give a number; right when within `tolerance` of `answer`."""

    kind: Literal["numeric"]
    """Question kind."""
    answer: float
    """The right value."""
    tolerance: float = Field(default=0.0, ge=0)
    """Absolute tolerance."""
    unit: str | None = None
    """Unit shown next to the input (e.g. %, days)."""
    explanation: str = ""
    """A worked explanation, shown after answering."""


# ---------------------------------------------------------------- model (take-home)

MetricName = Literal["pr_auc", "roc_auc", "recall_at_budget", "precision_at_budget", "expected_cost"]
DATA_SUFFIXES = (".csv", ".csv.gz")


class Dataset(_Strict):
    """The files of a `model` question, relative to the pack file: a training part the
    candidate gets, and a later, hidden test part whose labels never leave drill's process."""

    train: str = Field(min_length=1)
    """The training rows, a `.csv.gz` (or `.csv`) with every column including the label;
    copied to the workspace and given to the answer's `fit`."""
    test: str = Field(min_length=1)
    """The hidden later period, with the label column; never copied to the workspace or
    the sandbox: drill removes the label and hands the answer's `predict` the rest."""
    label: str = Field(min_length=1)
    """The label column (0/1) of both files."""
    id: str | None = None
    """A row id column, if the data has one (unique in the test file)."""
    time: str | None = None
    """The time column (ISO 8601; naive times are UTC): its UTC date makes the days of
    budget metrics and the `week` and `day` of breakdowns. Required by those."""
    dictionary: str | None = None
    """A data dictionary in Markdown (every column, its type, when its value is known),
    copied to the workspace."""
    generator: str | None = None
    """The seeded script that rebuilds `train` and `test` (the same rows on every run), kept beside them."""

    @model_validator(mode="after")
    def _check_dataset(self) -> Dataset:
        for key in ("train", "test"):
            path = getattr(self, key)
            if not path.endswith(DATA_SUFFIXES):
                raise ValueError(f"dataset '{key}' must be a .csv.gz or .csv file, not {path!r}")
        for key in ("train", "test", "dictionary", "generator"):
            path = getattr(self, key)
            if path is not None and (path.startswith(("/", "~")) or re.match(r"^[A-Za-z]:[\\/]", path)):
                raise ValueError(f"dataset '{key}' must be a path relative to the pack file, not {path!r}")
        return self


class Costs(_Strict):
    """What each kind of mistake costs, for `expected_cost`."""

    fp: float = Field(ge=0)
    """The cost of alerting a row that is not positive (a false positive): a reviewer's time, a blocked customer."""
    fn: float = Field(ge=0)
    """The cost of missing a positive (a false negative): the average loss."""


class Metric(_Strict):
    """How a `model` question's answer is scored on the hidden period (definitions below the
    table in docs/pack-format.md; drill.judge.metrics computes them)."""

    name: MetricName
    """pr_auc, roc_auc, recall_at_budget, precision_at_budget or expected_cost (lower is better)."""
    budget_per_day: int | None = Field(default=None, ge=1, le=1_000_000)
    """Alerts reviewed a day: each UTC day the top `budget_per_day` rows by score are alerted.
    Required by recall_at_budget and precision_at_budget; for expected_cost, instead of `threshold`."""
    costs: Costs | None = None
    """For expected_cost (required there): `{fp: ..., fn: ...}`."""
    threshold: float | None = None
    """For expected_cost: alert every row whose score is at least this (or give `budget_per_day`)."""

    @model_validator(mode="after")
    def _check_metric(self) -> Metric:
        name = self.name
        if name in ("pr_auc", "roc_auc"):
            extra = [k for k in ("budget_per_day", "costs", "threshold") if getattr(self, k) is not None]
            if extra:
                raise ValueError(f"{name} takes no {', '.join(repr(k) for k in extra)}")
        elif name in BUDGET_METRICS:
            if self.budget_per_day is None:
                raise ValueError(f"{name} needs 'budget_per_day' (alerts reviewed a day)")
            extra = [k for k in ("costs", "threshold") if getattr(self, k) is not None]
            if extra:
                raise ValueError(f"{name} takes no {', '.join(repr(k) for k in extra)}")
        else:
            if self.costs is None:
                raise ValueError("expected_cost needs 'costs': {fp: ..., fn: ...}")
            if (self.threshold is None) == (self.budget_per_day is None):
                raise ValueError("expected_cost needs exactly one of 'threshold' (alert scores at or above it) "
                                 "or 'budget_per_day' (alert the top rows of each day)")
        return self

    @property
    def higher_is_better(self) -> bool:
        return self.name not in LOWER_IS_BETTER

    @property
    def needs_days(self) -> bool:
        return self.name in BUDGET_METRICS or self.budget_per_day is not None


class BreakdownRow(_Strict):
    """One small table under a `model` question's result: a metric per segment."""

    name: str = Field(min_length=1, max_length=80)
    """Its title, e.g. "recall by asset"."""
    by: str = Field(min_length=1)
    """The test file's column to segment by, or `week` (ISO week of the time column) or `day`
    (its UTC date) when the data has no such column."""
    metric: MetricName | None = None
    """The metric to compute per segment (default: the question's), sharing the question's
    budget and costs. Budget alerts are chosen over each whole day first, then counted per segment."""


class ModelLimits(_Strict):
    """Resources for a `model` question's answer: `fit` and `predict` together."""

    seconds: float = Field(default=120.0, gt=0, le=900)
    """Wall-clock and CPU seconds for fit and predict together (the answer's import gets as much again)."""
    memory_mb: int = Field(default=2048, ge=128, le=16384)
    """Memory in megabytes for what the answer allocates (the data and the libraries come on top)."""


class ModelQuestion(_QuestionBase):
    """A take-home: train a model on the shipped training data; scored on a hidden, later
    period whose labels stay in drill's process. The answer defines `fit(train)` and
    `predict(model, test)`."""

    kind: Literal["model"]
    """Question kind."""
    dataset: Dataset
    """The training and hidden test files and their columns."""
    metric: Metric
    """What the answer is scored on."""
    baseline: float
    """What a naive rule scores on the hidden period (measured; say what rule in the prompt)."""
    target: float
    """What the reference solution scores on the hidden period (measured)."""
    margin: float = Field(default=0.0, ge=0)
    """Passed when the metric reaches `target - margin` (for expected_cost: at most `target + margin`)."""
    breakdown: list[BreakdownRow] = Field(default_factory=list, max_length=6)
    """Up to six small tables shown under the result (e.g. recall by segment, precision at the budget by week)."""
    requires: list[str] = Field(default_factory=lambda: ["numpy", "pandas"])
    """Packages the answer may import (pandas at least: fit and predict get DataFrames); e.g.
    [numpy, pandas, sklearn]. Missing ones make the question unavailable."""
    limits: ModelLimits = Field(default_factory=ModelLimits)
    """Time and memory for fit and predict together (defaults 120 s and 2048 MB)."""
    starter: str = ""
    """The starter `answer.py` written to the workspace."""
    solution: str | None = None
    """The reference answer, a path relative to the pack file: it reaches the target."""
    leaky_solution: str | None = None
    """A reference that uses the planted leak, relative to the pack file: it must score below
    `target - margin` out of time (`drill packs audit` checks it)."""
    writeup: str | None = None
    """The id of an `open` question in the same pack, asked right after: the write-up."""

    @model_validator(mode="after")
    def _check_model(self) -> ModelQuestion:
        m = self.metric
        bounded = m.name != "expected_cost"
        for key in ("baseline", "target"):
            value = getattr(self, key)
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(f"'{key}' must be a finite number")
            if bounded and not 0.0 <= value <= 1.0:
                raise ValueError(f"'{key}' {value:g} is outside [0, 1], where {m.name} lies")
            if not bounded and value < 0:
                raise ValueError(f"'{key}' {value:g} is negative; expected_cost is a mean cost, at least 0")
        if m.higher_is_better:
            if not self.target > self.baseline:
                raise ValueError(f"'target' {self.target:g} must be above 'baseline' {self.baseline:g}: "
                                 f"higher {m.name} is better")
            if not self.target - self.margin > self.baseline:
                raise ValueError(f"target - margin ({self.target - self.margin:g}) must stay above the baseline "
                                 f"{self.baseline:g}, or the naive rule would pass")
        else:
            if not self.target < self.baseline:
                raise ValueError(f"'target' {self.target:g} must be below 'baseline' {self.baseline:g}: "
                                 "lower expected_cost is better")
            if not self.target + self.margin < self.baseline:
                raise ValueError(f"target + margin ({self.target + self.margin:g}) must stay below the baseline "
                                 f"{self.baseline:g}, or the naive rule would pass")
        if "pandas" not in {r.partition(".")[0] for r in self.requires}:
            raise ValueError("'requires' must include pandas: fit and predict get pandas DataFrames")
        if m.needs_days and self.dataset.time is None:
            raise ValueError(f"{m.name} with a daily budget needs the dataset's 'time' column")
        for row in self.breakdown:
            name = row.metric or m.name
            if name in BUDGET_METRICS and m.budget_per_day is None:
                raise ValueError(f"breakdown {row.name!r}: {name} needs the question's metric to have 'budget_per_day'")
            if name == "expected_cost" and m.costs is None:
                raise ValueError(f"breakdown {row.name!r}: expected_cost needs the question's metric to have 'costs'")
        return self


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        kind = value.get("kind", "open")
        return kind if isinstance(kind, str) else "invalid"
    return getattr(value, "kind", "open")


Question = Annotated[
    (
        Annotated[CodeQuestion, Tag("code")]
        | Annotated[SqlQuestion, Tag("sql")]
        | Annotated[OpenQuestion, Tag("open")]
        | Annotated[ChoiceQuestion, Tag("choice")]
        | Annotated[NumericQuestion, Tag("numeric")]
        | Annotated[ModelQuestion, Tag("model")]
    ),
    Discriminator(
        _kind_of,
        custom_error_type="invalid_kind",
        custom_error_message="kind must be one of code, sql, open, choice, numeric, model",
    ),
]

AnyQuestion = CodeQuestion | SqlQuestion | OpenQuestion | ChoiceQuestion | NumericQuestion | ModelQuestion


class Pack(_Strict):
    """A question pack: one YAML file."""

    pack: str
    """Pack id (slug); question uids are `<pack>/<id>`."""
    title: str = Field(min_length=1)
    """Human title of the pack."""
    format: Literal[1]
    """Pack format version; this is format 1."""
    description: str = ""
    """What the pack covers."""
    questions: list[Question] = Field(min_length=1)
    """The questions."""

    _check_pack = field_validator("pack")(check_slug)


def all_field_names() -> set[str]:
    """Every key the format knows, for 'did you mean' suggestions."""
    names: set[str] = set()
    for model in (Pack, CodeQuestion, SqlQuestion, OpenQuestion, ChoiceQuestion,
                  NumericQuestion, CodeCase, SqlCase, RubricPoint, Compare, Limits, CodePart,
                  Followup, Argument, Returns, ModelQuestion, Dataset, Metric, Costs, BreakdownRow,
                  ModelLimits):
        for name, field in model.model_fields.items():
            names.add(field.alias or name)
    return names


def json_schema() -> dict[str, Any]:
    schema = Pack.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://drill.invalid/schema/pack-format-1.json"
    return schema
