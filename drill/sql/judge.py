"""Judging an SQL answer: one read-only SELECT, run on a fresh in-memory SQLite per dataset.

This side checks the text (one statement, starting with SELECT/WITH/VALUES) to give a
clear refusal early, then hands the datasets to a child process (`drill.sql.run`), which
holds the real guard rails, and kills it when a case overruns its time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drill.judge.verdict import CaseResult, CheckResult, cut
from drill.sql.child import Child
from drill.sql.compare import normalise
from drill.sql.run import Rejected, refusal, to_wire
from drill.sql.text import first_word, line_col, split_statements

STARTUP_SECONDS = 15.0  # interpreter start and precheck, on a loaded CI machine
KILL_GRACE = 2.0  # beyond a case's own limit, before the child is killed
_ALLOWED_FIRST = ("SELECT", "WITH", "VALUES")
# The words an SQLite statement can begin with. An answer starting with one of these
# (but SELECT/WITH/VALUES) is refused; one starting with anything else (`SELEC ...`) is a
# syntax error, which the runner's precheck reports with SQLite's message and position.
_STATEMENT_WORDS = frozenset({
    "ALTER", "ANALYZE", "ATTACH", "BEGIN", "COMMIT", "CREATE", "DELETE", "DETACH", "DROP", "END",
    "EXPLAIN", "INSERT", "PRAGMA", "REINDEX", "RELEASE", "REPLACE", "ROLLBACK", "SAVEPOINT",
    "UPDATE", "VACUUM",
})


def _statement(query: str) -> tuple[str, str | None]:
    """The answer's one statement (leading comments kept, so positions match), and the
    first word when it is no statement's (the precheck must then find a syntax error);
    or Rejected."""
    if "\x00" in query:
        # SQLite stops reading at a NUL, and Python's sqlite3 refuses the text outright.
        line, col = line_col(query, query.index("\x00"))
        raise Rejected("syntax_error", f"the answer holds a NUL character (line {line}, column {col})")
    spans = split_statements(query)
    if not spans:
        raise Rejected("syntax_error", "the answer holds no SQL statement")
    if len(spans) > 1:
        raise Rejected("runtime_error", refusal(f"holds {len(spans)} statements"))
    stmt = query[: spans[0][1]]
    word = first_word(stmt)
    if word in _ALLOWED_FIRST:
        return stmt, None
    if word in _STATEMENT_WORDS:
        raise Rejected("runtime_error", refusal(f"starts with {word}"))
    return stmt, word


def _wire_rows(rows: list) -> list:
    return [[to_wire(normalise(v)) for v in row] for row in rows]


@dataclass
class SqlCase:
    name: str
    hidden: bool
    data: dict[str, list[list[Any]]]  # rows per table, as the pack has them
    expected: list[list[Any]]


@dataclass
class SqlSpec:
    """What judging needs from an sql question, independent of how it was loaded (the
    pack, or drill.sql.speccache)."""

    uid: str
    schema: str
    seconds: float
    memory_mb: int
    ordered: bool
    width: int | None  # the column count of any non-empty expected result
    cases: list[SqlCase] = field(default_factory=list)


def spec_for(loaded: Any) -> SqlSpec:
    """The spec of `loaded` (a catalog.Loaded for an sql question)."""
    q = loaded.question
    return SqlSpec(uid=loaded.uid, schema=q.schema_, seconds=q.limits.seconds, memory_mb=q.limits.memory_mb,
                   ordered=q.ordered, width=_width(loaded),
                   cases=[SqlCase(c.name or name, hidden, c.data, c.expected) for c, name, hidden in _cases(loaded, False)])


def _run_child(job: dict, wire_cases: list[dict], early: Child | None = None) -> tuple[dict | None, list[dict]]:
    """(precheck refusal or None, one outcome per case); respawns after a killed case.
    `early`: a child started already (drill.judge.prelaunch), used first."""
    outcomes: list[dict] = []
    first = True
    case_timeout = job["seconds"] + max(KILL_GRACE, job["seconds"])
    while first or len(outcomes) < len(wire_cases):
        child, early = early or Child(), None
        child.send({**job, "cases": wire_cases[len(outcomes):], "precheck": first})
        try:
            msg = child.next(STARTUP_SECONDS)
            if not isinstance(msg, dict) or "precheck" not in msg:
                failure = child.crash()
                return None, outcomes + [failure] * (len(wire_cases) - len(outcomes))
            if msg["precheck"]:
                return msg["precheck"], []
            first = False
            while len(outcomes) < len(wire_cases):
                msg = child.next(case_timeout)
                if msg == "timeout":
                    outcomes.append({"status": "time_limit", "time_ms": case_timeout * 1000,
                                     "message": f"took longer than {job['seconds']:g} s; stopped"})
                    break
                if not isinstance(msg, dict):
                    outcomes.append(child.crash())
                    break
                outcomes.append(msg)
        finally:
            child.stop()
    return None, outcomes


def _cases(loaded: Any, examples_only: bool) -> list[tuple[Any, str, bool]]:
    cases = [(c, f"example-{i}", False) for i, c in enumerate(loaded.question.examples, start=1)]
    if not examples_only:
        cases += [(c, f"test-{i}", True) for i, c in enumerate(loaded.hidden, start=1)]
    return cases


def _width(loaded: Any) -> int | None:
    """The column count, from any non-empty expected result of the question."""
    for case in [*loaded.question.examples, *loaded.hidden]:
        if case.expected:
            return len(case.expected[0])
    return None


def _case_result(case: SqlCase, outcome: dict, reveal: bool) -> CaseResult:
    res = CaseResult(name=case.name, hidden=case.hidden, status=outcome["status"],
                     time_ms=float(outcome.get("time_ms", 0.0)),
                     message=cut(str(outcome.get("message", ""))))
    if reveal or not case.hidden:
        res.input, res.expected, res.actual = case.data, case.expected, outcome.get("actual")
    return res


def judge_sql(loaded: Any, query: str, *, examples_only: bool = False,
              reveal: bool = False) -> CheckResult:
    """Run `query` on each dataset of `loaded` (a catalog.Loaded for a sql question).

    Hidden cases keep their rows private (in CaseResult and in messages) unless `reveal`.
    """
    return judge_sql_spec(spec_for(loaded), query, examples_only=examples_only, reveal=reveal)


def judge_sql_spec(spec: SqlSpec, query: str, *, examples_only: bool = False, reveal: bool = False,
                   early: Child | None = None) -> CheckResult:
    """`judge_sql` on a spec; `early`: a child started already for this check, or None."""
    result = CheckResult(question=spec.uid, sandbox="sqlite")
    cases = [c for c in spec.cases if not (examples_only and c.hidden)]
    try:
        stmt, odd_start = _statement(query)
    except Rejected as e:
        refused: dict | None = {"status": e.status, "message": e.message}
        outcomes: list[dict] = []
    else:
        job = {"schema": spec.schema, "stmt": stmt, "seconds": spec.seconds,
               "memory_mb": spec.memory_mb, "ordered": spec.ordered, "width": spec.width,
               "odd_start": odd_start}
        wire = [{"data": {t: _wire_rows(rows) for t, rows in c.data.items()},
                 "expected": _wire_rows(c.expected), "reveal": reveal or not c.hidden}
                for c in cases]
        refused, outcomes = _run_child(job, wire, early)
        early = None
    finally:
        if early is not None:
            early.stop()
    if refused:
        result.error = cut(str(refused["message"]))
        outcomes = [refused] * len(cases)
    result.cases = [_case_result(c, o, reveal) for c, o in zip(cases, outcomes, strict=True)]
    return result
