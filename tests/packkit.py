"""What the built-in pack tests share: the packs and the catalogue, loaded once, and the shape
checks every built-in coding pack must pass."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from drill.packs.catalog import Catalog, load_catalog
from drill.packs.packfile import load_pack

QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "questions"


@cache
def builtin_pack(name: str):
    """questions/NAME.yaml, validated deeply (its tests files too), once per test run."""
    return load_pack(QUESTIONS_DIR / f"{name}.yaml", deep=True)


@contextmanager
def scratch_home(prefix: str = "drill-tests-") -> Iterator[None]:
    """DRILL_HOME in a fresh temporary folder meanwhile: for work done while tests are
    collected, before the per-test DRILL_HOME fixture, which must not touch a real one."""
    saved = os.environ.get("DRILL_HOME")
    os.environ["DRILL_HOME"] = tempfile.mkdtemp(prefix=prefix)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["DRILL_HOME"]
        else:
            os.environ["DRILL_HOME"] = saved


@cache
def builtin_catalog() -> Catalog:
    """The catalogue of the built-in packs, built afresh once per test run (also while
    tests are collected: see scratch_home)."""
    with scratch_home("drill-builtin-catalog-"):
        return load_catalog(use_cache=False)


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
