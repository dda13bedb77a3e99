"""What judging a code answer needs from a question, independent of how it was loaded:
the entry point, the limits and the cases (inputs for the child, expected values kept)."""

from __future__ import annotations

from drill.plainclass import field, plainclass, replace

TYPE_CHECKING = False  # typing only for type checkers: `drill check` has no time to import it
if TYPE_CHECKING:
    from typing import Any

OUTPUT_BYTES = 1 << 20  # the pack format has no output limit yet: 1 MB, as Judge0's default


@plainclass
class Case:
    name: str
    hidden: bool
    inputs: dict[str, Any]  # {"args", "kwargs"} or {"calls"}: all the child ever sees
    expected: Any
    # The inputs as the wire carries them, when known already (a spec from the cache):
    # sent as they are, never encoded again.
    wire: bytes | None = field(default=None, repr=False, compare=False)


@plainclass
class Spec:
    """What judging needs from a question, independent of how it was loaded."""

    uid: str
    entry: str
    is_class: bool
    cases: list[Case]
    rel_tol: float = 1e-6
    abs_tol: float = 1e-9
    unordered: bool = False
    seconds: float = 2.0
    memory_mb: int = 512
    output_bytes: int = OUTPUT_BYTES
    requires: list[str] = field(default_factory=list)
    # numpy/pandas questions (docs/pack-format.md): how the child builds each parameter,
    # what comes back, and what the comparison ignores. Plain dicts: they go to the child.
    arguments: dict[str, dict[str, Any]] = field(default_factory=dict)
    returns: dict[str, Any] = field(default_factory=lambda: {"type": "value", "dtype": None})
    ignore_row_order: bool = False
    ignore_index: bool = True
    ignore_column_order: bool = False
    ignore_dtype_width: bool = True
    strict_types: bool = False
    # `model` questions (drill.judge.takehome): one case that calls `entries` (fit, then
    # predict) on DataFrames read from `data`, (name, bytes, gzipped) files sent to the
    # runner before the answer loads; the result is scored by the caller, not compared.
    kind: str = "code"
    entries: list[str] = field(default_factory=list)
    data: list[tuple[str, bytes, bool]] = field(default_factory=list)

    @property
    def data_bytes(self) -> int:
        return sum(len(blob) for _, blob, _ in self.data)

    def only_examples(self) -> Spec:
        return replace(self, cases=[c for c in self.cases if not c.hidden])


def spec_for(loaded, *, examples_only: bool = False) -> Spec:
    q = loaded.question
    pairs = [(c, False, c.name or f"example-{i}") for i, c in enumerate(q.examples, 1)]
    if not examples_only:
        pairs += [(c, True, c.name or f"test-{i}") for i, c in enumerate(loaded.hidden, 1)]
    cases = []
    for c, hidden, name in pairs:
        inputs = {"calls": c.calls} if q.is_class else {"args": c.args or [], "kwargs": c.kwargs or {}}
        cases.append(Case(name, hidden, inputs, c.expected))
    c = q.compare
    return Spec(
        uid=loaded.uid, entry=q.entry, is_class=q.is_class, cases=cases,
        rel_tol=c.rel_tol, abs_tol=c.abs_tol, unordered=c.unordered,
        seconds=q.limits.seconds, memory_mb=q.limits.memory_mb, requires=list(q.requires),
        arguments={name: a.model_dump() for name, a in q.arguments.items()},
        returns=q.returns.model_dump(),
        ignore_row_order=c.ignore_row_order, ignore_index=c.ignore_index,
        ignore_column_order=c.ignore_column_order, ignore_dtype_width=c.ignore_dtype_width,
        strict_types=c.strict_types,
    )
