"""Follow-up `parts` of code questions and `followups` of open questions: format,
validation, `drill check --part` and the audit of each part."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

PACK = """\
pack: p
title: Parts
format: 1
questions:
  - id: total
    kind: code
    round: coding
    title: Total
    prompt: Sum a list.
    function: total
    solution: sol/total.py
    examples:
      - {args: [[1, 2]], expected: 3}
    tests:
      - {args: [[]], expected: 0}
      - {args: [[5, -5, 7]], expected: 7}
    parts:
      - title: Now as a stream
        prompt: Keep a running total; `add(x)` returns the total so far.
        class: Running
        solution: sol/running.py
        weight: 0.5
        examples:
          - {calls: [["__init__", []], ["add", [2]], ["add", [3]]], expected: [null, 2, 5]}
        tests:
          - {calls: [["__init__", []], ["add", [-1]]], expected: [null, -1]}
          - {calls: [["__init__", []], ["add", [4]], ["add", [4]], ["add", [0]]], expected: [null, 4, 8, 8]}
      - title: Now only positives
        prompt: Sum only the positive numbers.
        tests_file: total-positive.json
        solution: sol/positive.py
  - id: drift
    round: mlops
    title: Drift
    prompt: How do you watch a fraud model for drift?
    rubric:
      - {point: Tracks PSI per feature, must: true, keywords: [psi, population stability]}
      - {point: Alerts on score shifts, keywords: [score distribution, score histogram]}
      - {point: Ties retraining to labels, keywords: [retrain, label arrival]}
    model_answer: Track PSI per feature; watch the score distribution; retrain on label arrival.
    followups:
      - prompt: Labels arrive 60 days late. What do you watch meanwhile?
        rubric:
          - {point: Leading indicators such as proxy labels, keywords: [proxy label, leading indicator]}
        model_answer: Proxy labels from analyst outcomes, prediction drift, decision rates.
        weight: 0.3
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    (tmp_path / "sol").mkdir()
    (tmp_path / "sol" / "total.py").write_text("def total(xs):\n    return sum(xs)\n")
    (tmp_path / "sol" / "running.py").write_text(
        "class Running:\n    def __init__(self):\n        self.t = 0\n"
        "    def add(self, x):\n        self.t += x\n        return self.t\n")
    (tmp_path / "sol" / "positive.py").write_text(
        "def total(xs):\n    return sum(x for x in xs if x > 0)\n")
    (tmp_path / "total-positive.json").write_text(json.dumps([
        {"args": [[1, -2, 3]], "expected": 4}, {"args": [[-1]], "expected": 0},
        {"args": [[0, 0]], "expected": 0}]))
    p = tmp_path / "p.yaml"
    p.write_text(PACK, encoding="utf-8")
    return p


def test_parts_and_followups_validate_and_load(pack, cli):
    code, out, err = cli("packs", "validate", str(pack))
    assert code == 0, out + err
    from drill.packs.catalog import load_catalog

    loaded = load_catalog([pack]).load("p/total")
    assert loaded.parts == 2
    one = loaded.part(1)
    assert one.uid == "p/total#part-1" and one.question.is_class and one.question.entry == "Running"
    assert one.question.compare == loaded.question.compare  # left out: the main question's
    two = loaded.part(2)
    assert two.question.entry == "total" and [c.expected for c in two.hidden] == [4, 0, 0]
    drift = load_catalog([pack]).load("p/drift")
    assert drift.question.followups[0].weight == 0.3
    assert drift.question.followups[0].rubric[0].keywords == ["proxy label", "leading indicator"]


@pytest.mark.parametrize(("edit", "message"), [
    (("        weight: 0.5\n", "        weight: 0.5\n        function: f\n"), "at most one of 'function' or 'class'"),
    (("        tests_file: total-positive.json\n", ""), "at least one hidden test"),
    (("          - {point: Leading indicators such as proxy labels, keywords: [proxy label, leading indicator]}\n", "          []\n"), "rubric"),
    (("        solution: sol/running.py\n", "        solution: sol/missing.py\n"), "solution file 'sol/missing.py' does not exist"),
    (('          - {calls: [["__init__", []], ["add", [-1]]], expected: [null, -1]}\n',
      '          - {args: [1], expected: 1}\n'), "needs 'calls'"),
])
def test_a_broken_part_or_followup_is_reported_where_it_is(pack, cli, edit, message):
    text = pack.read_text()
    assert edit[0] in text
    bad = pack.with_name("bad.yaml")
    bad.write_text(text.replace(edit[0], edit[1]).replace("pack: p\n", "pack: bad\n"))
    code, out, err = cli("packs", "validate", str(bad))
    assert code == 1
    assert message in out + err
    assert "bad.yaml:" in out + err and ":" in (out + err).split("bad.yaml:")[1][:6]  # FILE:LINE:COL


def test_check_a_part(pack, tmp_path, cli):
    right = tmp_path / "running.py"
    right.write_text((tmp_path / "sol" / "running.py").read_text())
    code, out, _ = cli("check", "p/total", str(right), "--pack", str(pack), "--part", "1", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["question"] == "p/total#part-1" and result["verdict"] == "passed"
    assert len(result["cases"]) == 3
    wrong = tmp_path / "wrong.py"
    wrong.write_text("def total(xs):\n    return sum(xs)\n")
    code, out, _ = cli("check", "p/total", str(wrong), "--pack", str(pack), "--part", "2", "--json")
    assert code == 1 and json.loads(out)["verdict"] == "failed"
    # A part check is practice: nothing is recorded.
    from drill.progress.store import open_store

    with open_store(create=False) as store:
        assert store.count_attempts() == 0


@pytest.mark.parametrize(("uid", "part", "message"), [
    ("p/total", "3", "has 2 follow-up part(s); there is no part 3"),
    ("p/total", "-1", "--part must be 0 or more"),
    ("p/drift", "1", "is an open question"),
])
def test_check_a_part_that_does_not_exist(pack, tmp_path, cli, uid, part, message):
    answer = tmp_path / "a.py"
    answer.write_text("def total(xs):\n    return 0\n")
    code, _out, err = cli("check", uid, str(answer), "--pack", str(pack), "--part", part)
    assert code == 2 and message in err and "Traceback" not in err


def test_audit_runs_each_part_as_a_question(pack):
    from drill.packs.audit import audit

    result = audit([str(pack)], mutants=True, jobs=2, sandbox="none")
    by_uid = {q.uid: q for p in result.packs for q in p.questions}
    assert set(by_uid) == {"p/total", "p/total#part-1", "p/total#part-2"}
    assert all(q.reference == "passed" for q in by_uid.values())
    assert all(q.mutated and q.mutants > 0 for q in by_uid.values())
    # The positives-only part's tests are weak (3 cases): its audit says so, per part.
    assert by_uid["p/total#part-2"].survivors or by_uid["p/total#part-2"].kill_rate == 1.0


def test_a_broken_part_reference_fails_the_audit(pack):
    (pack.parent / "sol" / "running.py").write_text(
        "class Running:\n    def __init__(self):\n        self.t = 0\n    def add(self, x):\n        return x\n")
    from drill.packs.audit import audit

    result = audit([str(pack)], jobs=1, sandbox="none")
    part = next(q for p in result.packs for q in p.questions if q.uid == "p/total#part-1")
    assert part.reference == "failed" and not result.ok


def test_unexplained_marks_are_found_on_parts():
    from drill.packs.equivalents import unexplained_marks

    text = textwrap.dedent("""\
        questions:
          - id: q
            equivalent_mutants: [a@1:1]  # same as the original because ...
            parts:
              - title: t
                equivalent_mutants:
                  - b@2:2
    """)
    assert unexplained_marks(text) == {"q#part-1": ["b@2:2"]}
