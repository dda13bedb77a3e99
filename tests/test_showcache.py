"""What a round shows of a question, cached per pack (drill.packs.showcache), and the
round's lazily loaded question (drill.packs.catalog.LazyLoaded): the same values as the
pack's models, no pydantic and no hidden tests until the question is judged, and nothing
stale or damaged ever shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pydantic import BaseModel

from drill.errors import InputError
from drill.packs import showcache
from drill.packs.catalog import load_catalog, pack_files
from drill.packs.packfile import load_pack
from drill.paths import builtin_questions_dir
from tests.conftest import ROOT

PACK = """\
pack: sc
title: Show cache
format: 1
questions:
  - id: add
    kind: code
    round: coding
    title: Add
    prompt: Return **a + b**.
    function: add
    hints: [Use +.]
    examples:
      - {args: [1, 2], expected: 3}
    tests:
      - {args: [5, 7], expected: 12}
      - {args: [-1, 1], expected: 0}
    parts:
      - title: Now three
        prompt: Add three numbers.
        function: add3
        examples:
          - {args: [1, 2, 3], expected: 6}
        tests:
          - {args: [0, 0, 0], expected: 0}
  - id: lookup
    kind: code
    round: coding
    title: Number keys
    prompt: Look a key up.
    function: lookup
    examples:
      - {args: [{1: one}, 1], expected: one}
    tests:
      - {args: [{2: two}, 2], expected: two}
  - id: drift
    round: mlops
    title: Drift
    prompt: How do you watch a model for drift?
    rubric:
      - {point: Tracks PSI per feature, must: true, keywords: [psi]}
      - {point: Alerts on score shifts, keywords: [score]}
      - {point: Retrains when labels mature, keywords: [retrain]}
    model_answer: PSI per feature, score shifts, retraining on matured labels.
"""


def write_pack(tmp_path: Path, text: str = PACK) -> Path:
    p = tmp_path / "sc.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def same_as_model(cached, model) -> bool:
    """The cached value reads exactly as the model's: same attributes, values and types."""
    if isinstance(model, BaseModel):
        return all(same_as_model(getattr(cached, name), getattr(model, name)) for name in type(model).model_fields)
    if isinstance(model, list):
        return (type(cached) is list and len(cached) == len(model)
                and all(same_as_model(c, m) for c, m in zip(cached, model, strict=True)))
    if isinstance(model, dict):
        return (type(cached) is dict and cached.keys() == model.keys()
                and all(same_as_model(cached[k], model[k]) for k in model))
    if isinstance(model, float) and model != model:
        return type(cached) is float and cached != cached  # NaN
    return type(cached) is type(model) and cached == model


@pytest.mark.parametrize("path", pack_files(builtin_questions_dir()), ids=lambda p: p.stem)
def test_every_builtin_question_reads_back_as_its_model(path):
    key = showcache.key(str(path))
    pack = load_pack(path)
    showcache.save(str(path), pack, key)
    for q in pack.questions:
        found = showcache.load(str(path), q.id, lambda q=q: q)
        assert found is not None, q.id
        pack_id, cached = found
        assert pack_id == pack.pack
        for name in type(q).model_fields:
            if name != "tests":
                assert same_as_model(getattr(cached, name), getattr(q, name)), (q.id, name)
        for name in ("is_class", "entry"):
            if hasattr(q, name):
                assert getattr(cached, name) == getattr(q, name)


def test_a_round_shows_a_cached_question_without_pydantic_or_its_hidden_tests(drill_home):
    # `drill list` catalogues the built-in packs, and keeps what a round shows of them.
    env = {**os.environ, "DRILL_HOME": str(drill_home)}
    subprocess.run([sys.executable, "-m", "drill", "list"], env=env, check=True, capture_output=True)
    script = textwrap.dedent("""
        import sys
        from drill.packs.catalog import load_catalog
        from drill.session.render import question_body, to_ansi
        cat = load_catalog()
        lz = cat.load_for_round("coding-algo/risk-score-lru-cache")
        text = to_ansi(question_body(lz, 1500), 60)
        print("pydantic" in sys.modules, lz._full is None, "ScoreCache" in text, "evict-lru" in text)
        print(lz.question.starter.splitlines()[0], lz.question.is_class)
        print(len(lz.hidden) == len(cat.load(lz.uid).hidden) > 10, "pydantic" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout.splitlines()
    assert out == ["False True True True", "class ScoreCache: True", "True True"]


def test_cached_and_fresh_questions_read_alike_with_their_parts_and_hidden_tests(tmp_path):
    pack = write_pack(tmp_path)
    cat = load_catalog([pack])  # keeps what a round shows of the pack; without it:
    showcache._file(str(pack)).unlink()
    cold = cat.load_for_round("sc/add")  # and kept again from here on
    warm = load_catalog([pack]).load_for_round("sc/add")
    assert type(cold.question).__name__ == "CodeQuestion"
    assert type(warm.question).__name__ == "CachedQuestion"
    full = load_catalog([pack]).load("sc/add")
    for lz in (cold, warm):
        assert lz.question.title == "Add" and lz.question.hints == ["Use +."]
        assert lz.question.examples[0].args == [1, 2] and lz.question.examples[0].expected == 3
        assert lz.parts == 1 and lz.solution_path is None
        assert [c.args for c in lz.hidden] == [c.args for c in full.hidden] == [[5, 7], [-1, 1]]
        part = lz.part(1)
        assert part.uid == "sc/add#part-1" and part.question.function == "add3"
        assert [c.args for c in part.hidden] == [[0, 0, 0]]
        assert lz.part(0) is lz and lz.full().question.tests == full.question.tests
        with pytest.raises(InputError, match="has 1 follow-up part"):
            lz.part(2)
    # A part is loaded when it is first used, not when it is asked for.
    again = load_catalog([pack]).load_for_round("sc/add")
    part = again.part(1)
    assert again._full is None and part.uid == "sc/add#part-1"
    assert part.question.title == "Add: Now three" and again._full is not None
    assert part.full().question.title == full.part(1).question.title
    # What the cache does not hold is the model's; what the model has not, is no attribute.
    again = load_catalog([pack]).load_for_round("sc/add")
    assert getattr(again.question, "pitfalls", None) is None and again._full is None
    assert [c.expected for c in again.question.tests] == [12, 0] and again._full is not None


def test_the_round_loads_each_question_once(tmp_path):
    cat = load_catalog([write_pack(tmp_path)])
    assert cat.load_for_round("sc/drift") is cat.load_for_round("drift")


def test_values_json_cannot_carry_exactly_are_never_cached(tmp_path):
    pack = write_pack(tmp_path)
    load_catalog([pack])
    lz = load_catalog([pack]).load_for_round("sc/lookup")
    assert type(lz.question).__name__ == "CodeQuestion"  # loaded from the pack, every time
    assert lz.question.examples[0].args == [{1: "one"}, 1]
    assert type(load_catalog([pack]).load_for_round("sc/drift").question).__name__ == "CachedQuestion"


def test_a_changed_pack_is_never_shown_from_the_cache(tmp_path):
    pack = write_pack(tmp_path)
    load_catalog([pack]).load_for_round("sc/drift")
    pack.write_text(textwrap.dedent(PACK).replace("title: Drift", "title: Drift, again"), encoding="utf-8")
    assert showcache.load(str(pack), "drift", lambda: None) is None
    assert load_catalog([pack]).load_for_round("sc/drift").question.title == "Drift, again"


@pytest.mark.parametrize("damage", [
    "not json at all",
    '{"key": 1, "questions": {}}',
    "KEY",  # the right key, a malformed question
    "BIG",
])
def test_a_damaged_cache_file_is_ignored_and_rebuilt(tmp_path, monkeypatch, damage):
    pack = write_pack(tmp_path)
    load_catalog([pack]).load_for_round("sc/drift")
    shown = showcache._file(str(pack))
    if damage == "KEY":
        damage = json.dumps({"key": showcache.key(str(pack)), "pack": "sc", "from_model": {"open": []},
                             "questions": {"drift": {"title": {"x": 1}, "kind": {"v": "open"}}}})
    elif damage == "BIG":
        monkeypatch.setattr(showcache, "MAX_BYTES", shown.stat().st_size - 1)
        damage = shown.read_text(encoding="utf-8")  # valid, but over the bound
    shown.write_text(damage, encoding="utf-8")
    assert showcache.load(str(pack), "drift", lambda: None) is None
    monkeypatch.undo()
    lz = load_catalog([pack]).load_for_round("sc/drift")
    assert lz.question.title == "Drift" and [p.must for p in lz.question.rubric] == [True, False, False]
    assert showcache.load(str(pack), "drift", lambda: None) is not None  # written again


def test_a_cached_question_gives_the_judge_the_same_spec(drill_home):
    from drill.judge.spec import spec_for

    cat = load_catalog()  # catalogues the built-in packs and keeps what a round shows
    for uid in ("coding-numpy/logreg-gd-l2", "coding-algo/risk-score-lru-cache",
                "coding-pandas/asof-feature-snapshots"):
        lz = load_catalog().load_for_round(uid)
        assert type(lz.question).__name__ == "CachedQuestion"
        assert repr(spec_for(lz)) == repr(spec_for(cat.load(uid))), uid  # repr: NaN reads as nan


def test_nested_models_keep_their_properties_when_cached(drill_home):
    # A take-home's metric direction is a property of its model class, not a field: the
    # round's cached view must give what the validated model gives.
    from drill.packs.catalog import load_catalog

    load_catalog()  # builds the cache
    cat = load_catalog()
    for uid in ("take-home/withdrawal-fraud", "take-home/scam-addresses"):
        lz = cat.load_for_round(uid)
        full = cat.load(uid).question
        assert type(lz.question).__name__ == "CachedQuestion"
        assert lz.question.metric.higher_is_better is full.metric.higher_is_better
        assert lz.question.metric.needs_days is full.metric.needs_days
        assert lz.question.metric.model_dump(exclude_none=True) == full.metric.model_dump(exclude_none=True)
    assert cat.load_for_round("take-home/scam-addresses").question.metric.higher_is_better is False
