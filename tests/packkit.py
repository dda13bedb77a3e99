"""Shape checks every built-in coding pack must pass (shared by the pack tests)."""

from __future__ import annotations

from pathlib import Path

MINUTES = {"easy": (10, 15), "medium": (20, 30), "hard": (35, 45)}


def assert_coding_pack_shape(pack, pack_path: Path, levels: tuple[int, int, int]) -> None:
    """15 code questions of the coding round at the given easy/medium/hard counts, each with
    at least 3 examples and 12 hidden tests, 1-2 hints, tags, a budget fit for its level, a
    starter that defines the entry point, and a reference solution under solutions/coding/."""
    questions = list(pack.questions)
    assert len(questions) == 15
    got = [q.difficulty for q in questions]
    assert (got.count("easy"), got.count("medium"), got.count("hard")) == levels
    for q in questions:
        assert q.kind == "code" and q.round == "coding", q.id
        assert len(q.examples) >= 3 and len(q.tests) >= 12, q.id
        assert 1 <= len(q.hints) <= 2 and q.tags, q.id
        lo, hi = MINUTES[q.difficulty]
        assert lo <= q.minutes <= hi, q.id
        assert q.solution == f"../solutions/coding/{q.id}.py", q.id
        assert (pack_path.parent / q.solution).is_file(), q.id
        assert f"{'class' if q.is_class else 'def'} {q.entry}" in q.starter, q.id
