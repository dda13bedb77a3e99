"""Rubric suggestions (drill.session.suggest): conservative, measured on labelled cases."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from drill.packs.catalog import pack_files
from drill.packs.model import RubricPoint
from drill.packs.packfile import load_pack
from drill.paths import builtin_questions_dir
from drill.session.suggest import stem, suggestions

CASES = Path(__file__).parent / "data" / "suggest_cases.yaml"


@cache
def builtin() -> dict[str, object]:
    out = {}
    for path in pack_files(builtin_questions_dir()):
        pack = load_pack(path)
        for q in pack.questions:
            out[f"{pack.pack}/{q.id}"] = q
    return out


def labelled() -> list[dict]:
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))


def score(cases: list[dict]) -> tuple[int, int, int, int]:
    tp = fp = fn = tn = 0
    for c in cases:
        q = builtin()[c["uid"]]
        hit = suggestions(c["answer"], q.rubric)[c["point"]].hit
        tp += hit and c["tick"]
        fp += hit and not c["tick"]
        fn += (not hit) and c["tick"]
        tn += (not hit) and not c["tick"]
    return tp, fp, fn, tn


def test_the_labelled_set_is_large_and_balanced():
    cases = labelled()
    assert len(cases) >= 60
    assert sum(c["tick"] for c in cases) >= 25 and sum(not c["tick"] for c in cases) >= 25
    for c in cases:  # every case points at a real rubric point
        assert 0 <= c["point"] < len(builtin()[c["uid"]].rubric), c


def test_precision_and_recall_on_the_labelled_set():
    tp, fp, fn, _ = score(labelled())
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.9, f"precision {precision:.3f}"
    assert recall >= 0.7, f"recall {recall:.3f}"


def points(*keyword_lists: list[str]) -> list[RubricPoint]:
    return [RubricPoint(point=f"point {i}", keywords=k) for i, k in enumerate(keyword_lists)]


def hits(answer: str, rubric: list[RubricPoint]) -> list[bool]:
    return [s.hit for s in suggestions(answer, rubric)]


def test_the_issue_examples_tick_nothing():
    q = builtin()["system-design/withdrawal-scoring"]
    musts = [i for i, p in enumerate(q.rubric) if p.must]
    got = suggestions("Put a timeout on Redis. Hold withdrawals if review capacity allows. Use xgboost.", q.rubric)
    assert [got[i].hit for i in musts] == [False] * len(musts)
    gov = builtin()["llm-safety/llm-governance-audit"]
    named = suggestions("We anchor the work in the NIST AI Risk Management Framework, with its Govern, "
                        "Map, Measure and Manage functions each mapped to an artefact.", gov.rubric)
    assert named[0].hit  # the spelled-out name counts as "NIST AI RMF"


def test_one_word_or_a_two_word_phrase_alone_is_not_enough_but_two_are():
    rubric = points(["circuit breaker", "fallback", "fail closed"], ["shadow mode", "canary"])
    assert hits("When the store is down we trip a circuit breaker and carry on.", rubric) == [False, False]
    assert hits("When the store is down a circuit breaker trips and we use the rules fallback.", rubric) == [True, False]


def test_a_long_specific_phrase_alone_is_enough():
    rubric = points(["population stability index", "ks test"], ["cohort"])
    assert hits("We track the population stability index of the score every day.", rubric) == [True, False]


def test_generic_words_never_count():
    rubric = points(["timeout", "model", "data", "latency budget"], ["regression", "red-team"])
    answer = "The model reads the data with a timeout. We run a regression on the data every day."
    assert hits(answer, rubric) == [False, False]
    assert suggestions(answer, rubric)[0].matched == ()


def test_word_forms_and_spelled_out_names_match_both_ways():
    rubric = points(["psi", "reference window"], ["calibration", "reliability diagram"])
    assert hits("Compute the population stability index against a reference window of last month.", rubric)[0]
    assert hits("Draw reliability diagrams and calibrate the scores with isotonic regression.", rubric)[1]
    spelled = points(["population stability index", "reference windows"])
    assert hits("PSI per feature, against the reference window from training.", spelled) == [True]


def test_acronyms_do_not_match_ordinary_words():
    assert stem("shapes") != stem("shap")
    rubric = points(["shap", "reason codes"])
    assert hits("The shapes of the reason codes differ between products in our design.", rubric) == [False]
    assert hits("Analysts get SHAP values as reason codes for every decision we make.", rubric) == [True]


def test_keyword_lists_and_stuffing_count_once():
    rubric = points(["flink", "redis", "online store", "velocity", "streaming"])
    assert hits("Flink, Redis, online store, velocity, streaming.", rubric) == [False]
    assert hits("Flink, Redis, online store, velocity, streaming: all of these matter a lot here.", rubric) == [False]
    assert hits("A streaming job in Flink writes velocity counts to Redis for serving.", rubric) == [True]


def test_a_keyword_shared_by_two_points_tells_neither_apart():
    rubric = points(["holdout", "maturity window"], ["holdout", "feedback loop"])
    assert hits("We keep a random holdout of traffic that is never blocked.", rubric) == [False, False]


def test_the_suggestion_says_which_keywords_matched():
    rubric = points(["circuit breaker", "fallback", "fail closed"])
    got = suggestions("If Redis is down the circuit breaker opens and we fail closed for big amounts.", rubric)[0]
    assert got.hit and set(got.matched) == {"circuit breaker", "fail closed"}


@pytest.mark.parametrize("answer", ["", "   ", "\x1b[2J", "a" * 50_000, "word " * 20_000])
def test_odd_answers_are_handled_quickly(answer):
    rubric = builtin()["system-design/withdrawal-scoring"].rubric
    assert len(suggestions(answer, rubric)) == len(rubric)
