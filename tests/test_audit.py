"""`drill packs audit`: references must pass, and with --mutants hidden tests must kill mutants."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest

from drill.judge.code import Case, Spec

COUNT = """\
def count_at_least(xs, t):
    n = 0
    i = 0
    while i < len(xs):
        if xs[i] >= t:
            n += 1
        i += 1
    return n
"""
PEAK = """\
def peak(xs):
    best = xs[0]
    for x in xs[1:]:
        if x > best:
            best = x
    return best
"""
CLAMP = """\
def clamp(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x
"""

# A question whose tests pin every behaviour, and one whose equivalent mutants are marked:
# `>=` keeps the same maximum, and `xs[0:]` only compares the first value with itself.
GOOD = """\
pack: tiny-good
title: Tiny good
format: 1
questions:
  - id: count-at-least
    kind: code
    round: coding
    title: Count at or above
    prompt: Return how many values of xs are at least t.
    function: count_at_least
    limits: {seconds: 8}
    examples:
      - args: [[1, 5, 9], 5]
        expected: 2
    tests:
      - {args: [[], 3], expected: 0}
      - {args: [[5], 5], expected: 1}
      - {args: [[4], 5], expected: 0}
      - {args: [[7, 1, 2], 5], expected: 1}
      - {args: [[1, 2, 7], 5], expected: 1}
      - {args: [[6, 6, 6, 1], 5], expected: 3}
    solution: count.py
  - id: peak
    kind: code
    round: coding
    title: Peak value
    prompt: Return the largest value of a non-empty list.
    function: peak
    tests:
      - {args: [[3]], expected: 3}
      - {args: [[9, 1]], expected: 9}
      - {args: [[1, 9]], expected: 9}
      - {args: [[2, 8, 5]], expected: 8}
    solution: peak.py
    equivalent_mutants:
      - gt-ge@4:14    # ties keep the same maximum value
      - int-dec@3:17  # xs[0:] only compares xs[0] with itself first
      - drop-stmt@4:9 # wrongly marked: the tests kill it
      - lt-le@99:1    # stale: no such mutant
  - id: talk
    round: behavioral
    title: Not audited
    prompt: Tell me about a time.
    rubric: [{point: one point}, {point: two point}, {point: six point}]
    model_answer: An answer.
"""

BAD = """\
pack: tiny-bad
title: Tiny bad
format: 1
questions:
  - id: clamp
    kind: code
    round: coding
    title: Clamp
    prompt: Clamp x into [lo, hi].
    function: clamp
    tests:
      - {args: [5, 0, 10], expected: 5}
    solution: clamp.py
  - id: broken
    kind: code
    round: coding
    title: Broken reference
    prompt: Return x plus one.
    function: inc
    tests:
      - {args: [1], expected: 2}
    solution: broken.py
  - id: no-solution
    kind: code
    round: coding
    title: No reference
    prompt: Return x.
    function: ident
    tests:
      - {args: [1], expected: 1}
"""


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    root = tmp_path / "packs"
    root.mkdir()
    (root / "good.yaml").write_text(GOOD, encoding="utf-8")
    (root / "bad.yaml").write_text(BAD, encoding="utf-8")
    for name, text in {"count.py": COUNT, "peak.py": PEAK, "clamp.py": CLAMP,
                       "broken.py": "def inc(x):\n    return x + 2\n"}.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def audit_json(cli, *args: str) -> tuple[int, dict]:
    code, out, err = cli("packs", "audit", *args, "--json")
    assert "Traceback" not in out + err
    return code, json.loads(out)


def questions(data: dict) -> dict[str, dict]:
    return {q["uid"]: q for p in data["packs"] for q in p["questions"]}


def test_strong_pack_passes_with_equivalents_marked(cli, packs):
    t0 = time.monotonic()
    code, data = audit_json(cli, str(packs / "good.yaml"), "--mutants", "--jobs", "2")
    elapsed = time.monotonic() - t0
    assert code == 0 and data["ok"] is True
    q = questions(data)
    count = q["tiny-good/count-at-least"]
    assert count["reference"] == "passed"
    assert count["mutants"] == 15 and count["killed"] == 15 and count["kill_rate"] == 1.0
    assert count["survivors"] == []
    # Three mutants loop forever (`i += 0`, `i -= 1`, dropped `i += 1`): the tight mutant
    # limit, not the question's 8 s, must cut them.
    assert elapsed < 8
    peak = q["tiny-good/peak"]
    assert (peak["mutants"], peak["equivalent"], peak["killed"]) == (7, 2, 5)
    assert peak["kill_rate"] == 1.0 and peak["survivors"] == []
    assert any("drop-stmt@4:9" in w and "kill" in w for w in peak["warnings"])
    assert any("lt-le@99:1" in w and "no such mutant" in w for w in peak["warnings"])
    assert "tiny-good/talk" not in q


def test_weak_tests_fail_the_bar_and_list_survivors(cli, packs):
    code, data = audit_json(cli, str(packs), "--mutants")
    assert code == 1 and data["ok"] is False
    assert [p["pack"] for p in data["packs"]] == ["tiny-bad", "tiny-good"]
    q = questions(data)
    clamp = q["tiny-bad/clamp"]
    assert clamp["reference"] == "passed"
    assert (clamp["mutants"], clamp["killed"]) == (7, 1)
    assert clamp["kill_rate"] == pytest.approx(1 / 7, abs=1e-3)
    survivors = {s["id"]: s["diff"] for s in clamp["survivors"]}
    assert survivors["lt-le@2:10"] == "2: if x < lo: → if x <= lo:"
    assert survivors["drop-return@5:9"] == "5: return hi → pass"
    assert "return-none@6:5" not in survivors  # the one test sees None instead of 5
    assert q["tiny-bad/broken"]["reference"] == "failed" and q["tiny-bad/broken"]["mutants"] == 0
    assert q["tiny-bad/broken"]["detail"] == "test-1: wrong answer"
    assert q["tiny-bad/no-solution"]["reference"] == "missing"
    assert q["tiny-bad/no-solution"]["kill_rate"] is None
    keys = {"uid", "reference", "mutants", "killed", "equivalent", "kill_rate", "survivors"}
    assert all(keys <= set(x) for x in q.values())
    assert set(data["packs"][0]) >= {"pack", "path", "questions"}
    # A lower bar lets the weak question through; the broken reference still fails.
    code, data = audit_json(cli, str(packs), "--mutants", "--min-kill", "0.1")
    assert code == 1 and questions(data)["tiny-bad/clamp"]["kill_rate"] > 0.1


def test_without_mutants_only_references_run(cli, packs):
    code, data = audit_json(cli, str(packs / "good.yaml"))
    assert code == 0
    assert all(q["mutants"] == 0 and q["kill_rate"] is None for q in questions(data).values())
    code, data = audit_json(cli, str(packs / "bad.yaml"))
    assert code == 1 and questions(data)["tiny-bad/broken"]["reference"] == "failed"


def test_human_output_has_table_and_survivor_diffs(cli, packs):
    code, out, err = cli("packs", "audit", str(packs / "bad.yaml"), "--mutants")
    assert code == 1
    assert "clamp" in out and "14%" in out and "no reference" in out and "FAILED" in out
    assert "lt-le@2:10" in out and "if x < lo: → if x <= lo:" in out
    assert "below the 90% kill bar" in err and "1 failing reference" in err


def test_pack_id_is_found_among_discovered_packs(cli, packs, monkeypatch):
    monkeypatch.setenv("DRILL_PACKS", str(packs))
    code, data = audit_json(cli, "tiny-good")
    assert code == 0 and [p["pack"] for p in data["packs"]] == ["tiny-good"]


@pytest.mark.parametrize(("args", "message"), [
    (["no-such-pack"], "no pack id or path 'no-such-pack'"),
    (["missing/pack.yaml"], "no such pack file or folder: 'missing/pack.yaml'"),
    (["{good}", "--min-kill", "1.5"], "--min-kill must be between 0 and 1"),
    (["{good}", "--jobs", "0"], "--jobs must be at least 1"),
])
def test_input_errors_exit_2(cli, packs, args, message):
    args = [a.replace("{good}", str(packs / "good.yaml")) for a in args]
    code, out, err = cli("packs", "audit", *args)
    assert code == 2 and message in err and "Traceback" not in out + err


def test_invalid_pack_is_reported_not_run(cli, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text(textwrap.dedent("""\
        pack: broken
        title: Broken
        format: 1
        questions:
          - id: q
            kind: code
            round: coding
            title: T
            prompt: P
            function: f
            tests: [{args: [1], expected: 1}]
            solution: nowhere.py
        """), encoding="utf-8")
    code, data = audit_json(cli, str(bad))
    assert code == 1 and data["ok"] is False
    assert any("nowhere.py" in p and "does not exist" in p for p in data["packs"][0]["problems"])


def test_mutant_specs_split_quick_cases_under_a_tight_limit():
    from drill.packs.audit import MUTANT_TIME_GRACE, _mutant_specs

    cases = [Case("big", True, {"args": [], "kwargs": {}}, 0), Case("ex", False, {}, 0),
             Case("small", True, {"args": [], "kwargs": {}}, 0)]
    spec = Spec(uid="p/q", entry="f", is_class=False, cases=cases, seconds=2.0)
    quick, slow = _mutant_specs(spec, {"big": 0.12, "small": 0.001, "ex": 0.0})
    assert [c.name for c in quick.cases] == ["small"] and [c.name for c in slow.cases] == ["big"]
    assert quick.seconds == pytest.approx(10 * 0.001 + MUTANT_TIME_GRACE)
    assert slow.seconds == pytest.approx(min(2.0, 10 * 0.12 + MUTANT_TIME_GRACE))


def test_equivalent_marks_need_a_comment():
    from drill.packs.equivalents import unexplained_marks

    text = textwrap.dedent("""\
        questions:
          - id: a
            equivalent_mutants:
              - gt-ge@4:14  # same maximum
              # a bigger tree is never read past its old size
              - int-inc@7:12
              - lt-le@9:3
          - id: b
            equivalent_mutants: [add-sub@1:1, int-dec@2:2]  # both only rename a temporary
          - id: c
            equivalent_mutants: [eq-ne@3:3]
        """)
    assert unexplained_marks(text) == {"a": ["lt-le@9:3"], "c": ["eq-ne@3:3"]}


def test_unexplained_mark_fails_the_audit(cli, packs):
    good = packs / "good.yaml"
    good.write_text(GOOD.replace("- gt-ge@4:14    # ties keep the same maximum value", "- gt-ge@4:14"),
                    encoding="utf-8")
    code, data = audit_json(cli, str(good))
    assert code == 1
    assert questions(data)["tiny-good/peak"]["unexplained_marks"] == ["gt-ge@4:14"]


def test_first_failure_stops_at_the_first_failing_case():
    from drill.packs.audit import first_failure

    cases = [Case("wrong", True, {"args": [0], "kwargs": {}}, 2),
             Case("loops", True, {"args": [1], "kwargs": {}}, 1)]
    spec = Spec(uid="p/q", entry="f", is_class=False, cases=cases, seconds=5.0)
    looping = "def f(x):\n    while x:\n        pass\n    return 1\n"
    t0 = time.monotonic()
    assert first_failure(spec, looping, "auto") == "wrong: wrong_answer"
    assert time.monotonic() - t0 < 5.0  # the looping case never ran to its limit
    fixed = Spec(uid="p/q", entry="f", is_class=False, cases=[cases[0]], seconds=5.0)
    assert first_failure(fixed, "def f(x):\n    return 2\n", "auto") is None


NO_REFERENCES = """\
pack: no-refs
title: Code questions without references
format: 1
questions:
  - id: ident
    kind: code
    round: coding
    title: No reference
    prompt: Return x.
    function: ident
    tests:
      - {args: [1], expected: 1}
"""

OPEN_ONLY = """\
pack: talk-only
title: Nothing to run
format: 1
questions:
  - id: talk
    round: mlops
    title: Talk
    prompt: Explain.
    rubric: [{point: one point}, {point: two point}, {point: three point}]
    model_answer: An answer.
"""


def test_nothing_audited_fails_with_the_reason(cli, tmp_path):
    refs = tmp_path / "no-refs.yaml"
    refs.write_text(NO_REFERENCES, encoding="utf-8")
    for extra in (["--mutants"], []):
        code, out, err = cli("packs", "audit", str(refs), *extra)
        assert code == 1, out + err
        assert "nothing audited: no reference solution ran (1 without a reference solution)" in err
    code, data = audit_json(cli, str(refs), "--mutants")
    assert code == 1 and data["ok"] is False and data["nothing_audited"].startswith("nothing audited")
    talk = tmp_path / "talk.yaml"
    talk.write_text(OPEN_ONLY, encoding="utf-8")
    code, _out, err = cli("packs", "audit", str(talk))
    assert code == 1 and "nothing to audit: no code or sql questions" in err


def test_mutants_asked_for_but_none_made_fails(cli, tmp_path):
    from drill.paths import builtin_questions_dir

    sql_only = tmp_path / "sql-only.yaml"
    text = (builtin_questions_dir() / "sql.yaml").read_text(encoding="utf-8")
    sql_only.write_text(text.replace("solution: ../solutions/", f"solution: {builtin_questions_dir().parent}/solutions/"),
                        encoding="utf-8")
    code, data = audit_json(cli, str(sql_only), "--jobs", "2")
    assert code == 0 and data["nothing_audited"] is None  # the references ran
    code, data = audit_json(cli, str(sql_only), "--mutants", "--jobs", "2")
    assert code == 1 and data["nothing_audited"] == "no mutants were made: no code question has a Python reference that passed"


def test_a_bare_word_naming_a_pack_means_the_pack(cli, packs, tmp_path, monkeypatch):
    monkeypatch.setenv("DRILL_PACKS", str(packs))
    (tmp_path / "work" / "tiny-good").mkdir(parents=True)  # a folder of the same name, without packs
    (tmp_path / "work" / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    code, out, err = cli("packs", "audit", "tiny-good", "--json")
    assert code == 0, err
    assert [p["pack"] for p in json.loads(out)["packs"]] == ["tiny-good"]
    assert "'tiny-good' is both a pack id and a folder here: auditing the pack 'tiny-good'" in err
    assert "write ./tiny-good for the folder" in err
    # Written with a slash, it is the folder; a bare word that is no pack's id is a path.
    code, _, err = cli("packs", "audit", "./tiny-good")
    assert code == 2 and "'./tiny-good' holds no .yaml pack files" in err
    code, _, err = cli("packs", "audit", "elsewhere")
    assert code == 2 and "'elsewhere' holds no .yaml pack files" in err
