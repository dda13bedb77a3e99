"""Later stages of one question: the follow-up probes of an open question and the parts
of a code question (issue #16; the format is in drill.packs.model, `Followup`, `CodePart`).

A question's stages are numbered 0 (the main answer) and 1.. (probe or part k). The
views (drill.session.ask_open, ask_code) go through them in order under one clock; each
finished stage leaves a *record* (plain JSON, kept in the workspace state so a resumed
session continues at the stage it stopped at):

- open: `{"part": k, "status": "graded", "score": s, "hits": [bool per rubric point]}`;
- code: `{"part": k, "status": "passed"|"failed"|"skipped", "score": s, "cases": [case dicts]}`.

The scores in a record are for a person reading the state file: drill recomputes them from
the pack's rubric and the cases, and never reads them back.
This module turns the records into one Outcome (the combined score, the rubric marks and
the cases, each with a "part" key); drill.session.render draws each stage.
"""

from __future__ import annotations

from typing import Any

from drill.session.flow import Outcome
from drill.session.grading import combine, score_rubric

MAX_CASES = 5000  # per stage, as read back from a workspace state


# ---------------------------------------------------------------- what a question has


def later(q: Any) -> list[Any]:
    """The stages after the main answer: follow-up probes or code parts."""
    if q.kind == "open":
        return list(q.followups)
    if q.kind == "code":
        return list(q.parts)
    return []


def weights(q: Any) -> list[float]:
    return [1.0] + [p.weight for p in later(q)]


def noun(q: Any) -> str:
    return "follow-up" if q.kind == "open" else "part"


def stage_title(q: Any, k: int) -> str:
    if k == 0:
        return "Main answer" if q.kind == "open" else "Main part"
    stage = later(q)[k - 1]
    if q.kind == "code":
        return f"Part {k}: {stage.title}"
    first = stage.prompt.strip().splitlines()[0] if stage.prompt.strip() else ""
    return f"Follow-up {k}: {first[:70]}{'…' if len(first) > 70 else ''}"


def rubric_of(q: Any, k: int) -> list[Any]:
    return q.rubric if k == 0 else q.followups[k - 1].rubric


# ---------------------------------------------------------------- records


def open_record(k: int, rubric: list[Any], ticked: list[bool]) -> dict:
    return {"part": k, "status": "graded", "score": score_rubric(rubric, ticked).score,
            "hits": [bool(t) for t in ticked]}


def code_record(k: int, check: Any, *, skipped: bool = False) -> dict:
    """A code stage's record from its last submission's CheckResult (None: never judged)."""
    if skipped:
        return {"part": k, "status": "skipped", "score": 0.0, "cases": []}
    if check is None:
        return {"part": k, "status": "failed", "score": 0.0, "cases": []}
    return {"part": k, "status": check.verdict, "score": check.score, "cases": [c.to_json() for c in check.cases]}


def clean(records: Any, upto: int) -> list[dict]:
    """The records of stages 0..upto-1 as read back from a workspace state: one per stage,
    in order, with only the fields and types drill writes."""
    out: dict[int, dict] = {}
    for r in records if isinstance(records, list) else []:
        if not isinstance(r, dict):
            continue
        k = r.get("part")
        if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < upto or k in out:
            continue
        rec: dict[str, Any] = {"part": k, "status": r.get("status") if r.get("status") in (
            "graded", "passed", "failed", "skipped") else "failed"}
        hints = r.get("hints", 0)
        rec["hints"] = hints if isinstance(hints, int) and not isinstance(hints, bool) and 0 <= hints < 1000 else 0
        hits = r.get("hits")
        if isinstance(hits, list):
            rec["hits"] = [h is True for h in hits]
        cases = r.get("cases")
        if isinstance(cases, list):
            rec["cases"] = [c for c in cases[:MAX_CASES] if isinstance(c, dict)]
        score = r.get("score")  # kept for a reader of the state; stage_score recomputes it
        ok = isinstance(score, int | float) and not isinstance(score, bool) and 0 <= score <= 1
        rec["score"] = float(score) if ok and score is not None else 0.0
        out[k] = rec
    return [out[k] for k in sorted(out)]


def _hits(rubric: list[Any], rec: dict | None) -> list[bool]:
    hits = list((rec or {}).get("hits") or [])
    return (hits + [False] * len(rubric))[: len(rubric)]


def _code_score(rec: dict | None) -> tuple[float, int, int]:
    cases = (rec or {}).get("cases") or []
    passed = sum(1 for c in cases if c.get("status") == "passed")
    return (passed / len(cases) if cases else 0.0), passed, len(cases)


def _status(rec: dict | None) -> str:
    return rec["status"] if rec is not None else "not reached"


def stage_score(q: Any, k: int, rec: dict | None) -> float:
    if rec is None or rec.get("status") == "skipped":
        return 0.0
    if q.kind == "open":
        return score_rubric(rubric_of(q, k), _hits(rubric_of(q, k), rec)).score
    return _code_score(rec)[0]


def summaries(q: Any, records: list[dict]) -> list[dict]:
    """One line per stage for the feedback screen: title, weight, score, status."""
    by = {r["part"]: r for r in records}
    out = []
    for k, w in enumerate(weights(q)):
        rec = by.get(k)
        row = {"part": k, "title": stage_title(q, k), "weight": w, "score": stage_score(q, k, rec),
               "status": _status(rec)}
        if q.kind == "code" and rec is not None and rec.get("status") != "skipped":
            _s, row["passed"], row["total"] = _code_score(rec)
        out.append(row)
    return out


def compose(q: Any, answers: dict[int, str]) -> str:
    """The attempt's answer text: the main answer, then each later stage's under a heading."""
    parts = [answers.get(0, "")]
    for k in sorted(a for a in answers if a):
        head = f"--- {stage_title(q, k)} ---" if q.kind == "open" else f"# --- {stage_title(q, k)} ---"
        parts.append(f"{head}\n{answers[k]}")
    return "\n\n".join(parts)


def open_outcome(q: Any, records: list[dict], answers: dict[int, str]) -> Outcome:
    """An open question with follow-up probes: the combined score; every stage's rubric
    points as marks with a "part" key (a probe skipped or never reached: not hit)."""
    by = {r["part"]: r for r in records}
    marks: list[dict] = []
    for k in range(len(weights(q))):
        rubric = rubric_of(q, k)
        hits = _hits(rubric, by.get(k) if _status(by.get(k)) == "graded" else None)
        marks += [{**m, "part": k} for m in score_rubric(rubric, hits).marks(rubric, hits)]
    score = combine([stage_score(q, k, by.get(k)) for k in range(len(weights(q)))], weights(q))
    return Outcome(score, "graded", answer=compose(q, answers), rubric=marks,
                   missed_must=[m["point"] for m in marks if m["must"] and not m["hit"]],
                   submissions=1, parts=summaries(q, records))


def code_outcome(q: Any, records: list[dict], answers: dict[int, str], submissions: int,
                 check: Any) -> Outcome:
    """A code question with parts: the combined score, every judged case with a "part"
    key, passed only when every part passed (a part never reached counts 0)."""
    by = {r["part"]: r for r in records}
    n = len(weights(q))
    cases = [{**c, "part": k} for k in range(n) for c in (by.get(k) or {}).get("cases") or []]
    score = combine([stage_score(q, k, by.get(k)) for k in range(n)], weights(q))
    passed = all(_status(by.get(k)) == "passed" for k in range(n))
    return Outcome(score, "passed" if passed else "failed", answer=compose(q, answers), cases=cases,
                   submissions=submissions, check=check, parts=summaries(q, records))
