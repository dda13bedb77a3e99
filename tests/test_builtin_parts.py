"""The follow-up `parts` of the built-in code questions: enough of them, each held to the
bar, every expected value recomputed by a naive oracle written from the prompt, the
promises the prompt makes about its inputs kept, plausible wrong answers caught, the
large cases out of a naive answer's reach, and independent answers passing the real judge."""

from __future__ import annotations

import copy
import importlib.util
import subprocess
import sys
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

from drill.judge.compare import same
from drill.packs.catalog import Loaded
from drill.plainclass import replace
from tests.packkit import MINUTES, builtin_catalog, scratch_home

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NAIVE = FIXTURES / "naive" / "parts"
INDEPENDENT = FIXTURES / "independent" / "parts"


@cache
def builtin_parts() -> dict[str, tuple[Loaded, int]]:
    """'<uid>#part-<k>' -> (the question, k), for every part of a built-in code question."""
    cat = builtin_catalog()
    builtin = {p.path for p in cat.packs if p.builtin}
    out = {}
    for s in cat.questions:
        if s.path in builtin and s.kind == "code" and s.available:
            loaded = cat.load(s.uid)
            for k in range(1, loaded.parts + 1):
                out[f"{s.uid}#part-{k}"] = (loaded, k)
    return out


def _collect() -> list[str]:
    with scratch_home("drill-parts-"):
        return sorted(builtin_parts())


PARTS = _collect()


@cache
def part(uid: str) -> Loaded:
    """The part as a question of its own (its tests file read once: they are large)."""
    loaded, k = builtin_parts()[uid]
    return loaded.part(k)


def file_stem(uid: str) -> str:
    """coding-algo/foo#part-1 -> foo-part-1"""
    base, k = uid.split("#part-")
    return f"{base.split('/')[1]}-part-{k}"


def load_module(path: Path):
    spec = importlib.util.spec_from_file_location(f"part_{path.stem.replace('-', '_')}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(impl, q, case):
    """What `impl` (the entry point: a function or a class) returns on `case`."""
    if q.is_class:
        out, obj = [], None
        for method, args in copy.deepcopy(case.calls):
            if method == "__init__":
                obj = impl(*args)
                out.append(None)
            else:
                out.append(getattr(obj, method)(*args))
        return out
    return impl(*copy.deepcopy(case.args or []), **copy.deepcopy(case.kwargs or {}))


def agrees(q, got, want) -> bool:
    c = q.compare
    return same(want, got, rel_tol=c.rel_tol, abs_tol=c.abs_tol, unordered=c.unordered)


def all_cases(p: Loaded) -> list:
    return list(p.question.examples) + list(p.hidden)


def is_large(case) -> bool:
    return (case.name or "").startswith("large-")


# ------------------------------------------------------------------ how many, and the bar


def test_enough_code_questions_have_parts():
    with_parts = {uid.split("#")[0] for uid in PARTS}
    assert len(with_parts) >= 6, sorted(with_parts)
    # Spread over the packs, not piled into one.
    assert {"coding-algo", "coding-ml"} <= {uid.split("/")[0] for uid in with_parts}


def part_problems(uid: str) -> list[str]:
    """What keeps one built-in part below the bar (empty when it meets it)."""
    loaded, k = builtin_parts()[uid]
    main, spec = loaded.question, loaded.question.parts[k - 1]
    p = loaded.part(k)
    qid, pack = main.id, loaded.pack
    problems = []
    if len(spec.examples) < 2:
        problems.append(f"{len(spec.examples)} examples, want at least 2")
    if len(p.hidden) < 10:
        problems.append(f"{len(p.hidden)} hidden tests, want at least 10")
    if not spec.hints:
        problems.append("no hints")
    if not 0.3 <= spec.weight <= 0.7:
        problems.append(f"weight {spec.weight}, want 0.3-0.7")
    if spec.solution != f"../solutions/coding/{qid}-part-{k}.py" or not p.solution_path.is_file():
        problems.append(f"solution {spec.solution!r}, want ../solutions/coding/{qid}-part-{k}.py")
    if spec.tests_file is not None and spec.tests_file != f"{pack}/{qid}-part-{k}.json":
        problems.append(f"tests_file {spec.tests_file!r}, want {pack}/{qid}-part-{k}.json")
    if not main.requires and "standard library only" not in " ".join(spec.prompt.split()).lower():
        problems.append("the prompt does not say what may be imported")
    if spec.function or spec.class_:
        # A new entry point: the starter shows its shape.
        if not spec.starter or f"{'class' if p.question.is_class else 'def'} {p.question.entry}" not in spec.starter:
            problems.append(f"the starter does not define {p.question.entry}")
    elif spec.starter:
        # The same entry point grows: the candidate carries on from their own code.
        problems.append("a starter would replace the candidate's code for the same entry point")
    if main.minutes != MINUTES[main.difficulty][1]:
        problems.append(f"{main.minutes} minutes: the clock covers the part too, want the top of "
                        f"the {main.difficulty} range ({MINUTES[main.difficulty][1]})")
    if spec.prompt.strip() == main.prompt.strip():
        problems.append("the prompt repeats the main question's")
    names = [c.name for c in all_cases(p)]
    if None in names or len(set(names)) != len(names):
        problems.append("cases without a name, or two cases with one name")
    return problems


@pytest.mark.parametrize("uid", PARTS)
def test_part_meets_the_bar(uid):
    problems = part_problems(uid)
    assert not problems, f"{uid}: " + "; ".join(problems)


def test_the_bar_catches_a_thin_part():
    uid = PARTS[0]
    loaded, k = builtin_parts()[uid]
    spec = loaded.question.parts[k - 1]
    thin = spec.model_copy(update={"examples": spec.examples[:1], "hints": [], "weight": 0.9,
                                   "tests": spec.tests[:3], "tests_file": None})
    parts = list(loaded.question.parts)
    parts[k - 1] = thin
    broken = replace(loaded, question=loaded.question.model_copy(update={"parts": parts}))
    saved = builtin_parts()[uid]
    builtin_parts()[uid] = (broken, k)
    try:
        problems = " ".join(part_problems(uid))
    finally:
        builtin_parts()[uid] = saved
    for expected in ("1 examples", "3 hidden tests", "no hints", "weight 0.9"):
        assert expected in problems


# ------------------------------------------------------------------ expected values


@pytest.mark.parametrize("uid", PARTS)
def test_every_expected_value_matches_a_naive_oracle(uid):
    """Each part has an oracle in tests/fixtures/naive/parts, written from its prompt (full
    scans, exact fractions), that recomputes every case it can finish quickly: all but the
    `large-*` ones, which exist to be out of its reach."""
    p = part(uid)
    oracle = getattr(load_module(NAIVE / f"{file_stem(uid)}.py"), p.question.entry)
    checked = 0
    for case in all_cases(p):
        if is_large(case):
            continue
        got = run(oracle, p.question, case)
        assert agrees(p.question, got, case.expected), f"{uid} {case.name}: oracle says {got!r}"
        checked += 1
    assert checked >= 10


# The promises each prompt makes about its inputs, checked on every case (large ones too):
# a case that breaks one tests something the candidate was told cannot happen.


def _calls(case) -> list:
    return [(m, a) for m, a in case.calls if m != "__init__"]


def _nondecreasing(xs) -> bool:
    return all(a <= b for a, b in pairwise(xs))


def _late_within_bound(case) -> bool:
    _, lateness = case.calls[0][1][1], case.calls[0][1][2]
    latest = None
    for m, a in _calls(case):
        if m == "push":
            if latest is not None and a[0] < latest - lateness:
                return False
            latest = a[0] if latest is None else max(latest, a[0])
    return True


def _weights_positive(case) -> bool:
    scores, labels, weights = case.args
    return len(scores) == len(labels) == len(weights) and all(w > 0 for w in weights) and set(labels) <= {0, 1}


def _reservoir_inputs(case) -> bool:
    stream, k, rand = case.args
    return k >= 1 and len(rand) >= len(stream) and all(0 < r < 1 for r in rand) and all(w > 0 for _, _, w in stream)


PROMISES = {
    "coding-algo/top-flagged-accounts#part-1": lambda c: c.calls[0][1][0] >= 1 and all(
        a[0] >= 0 for m, a in _calls(c) if m == "top"),
    "coding-algo/withdrawal-median-tracker#part-1": lambda c: all(a[0] >= 0 for _, a in _calls(c) if a),
    "coding-algo/risk-score-lru-cache#part-1": lambda c: min(c.calls[0][1]) >= 1 and _nondecreasing(
        [a[-1] for _, a in _calls(c)]),
    "coding-algo/withdrawal-rate-limiter#part-1": lambda c: min(c.calls[0][1]) >= 1 and _nondecreasing(
        [a[1] for _, a in _calls(c)]) and all(a[2] >= 1 for m, a in _calls(c) if m == "allow"),
    "coding-algo/split-transfer-pairs#part-1": _late_within_bound,
    "coding-algo/merge-session-windows#part-1": lambda c: all(
        0 <= a[0] <= a[1] for m, a in _calls(c) if m == "add"),
    "coding-ml/rolling-account-features#part-1": lambda c: c.calls[0][1][0] >= 1 and _nondecreasing(
        [a[1] for _, a in _calls(c)]),
    "coding-ml/roc-auc-ties#part-1": _weights_positive,
    "coding-ml/stratified-reservoir#part-1": _reservoir_inputs,
    "coding-ml/oof-target-encoding#part-1": lambda c: c.args[1] > 0 and all(
        y in (0, 1) and isinstance(cat, str) for _, cat, y in c.args[0]),
    "coding-ml/ewm-drift-alerts#part-1": lambda c: 0 < c.args[1] <= 1 and c.args[2] > 0 and c.args[3] >= 0,
}


@pytest.mark.parametrize("uid", PARTS)
def test_every_case_keeps_the_prompts_promises(uid):
    assert uid in PROMISES, f"{uid}: say what its prompt promises about inputs in PROMISES"
    p = part(uid)
    broken = [c.name for c in all_cases(p) if not PROMISES[uid](c)]
    assert broken == []


def test_the_promise_checks_can_fail():
    from drill.packs.model import CodeCase

    late = CodeCase(calls=[["__init__", [10, 2, 3]], ["push", [100, 1]], ["push", [96, 9]]], expected=[None, 0, 0])
    assert not _late_within_bound(late)
    assert not _weights_positive(CodeCase(args=[[0.1, 0.2], [1, 0], [1, 0]], expected=None))
    assert not _reservoir_inputs(CodeCase(args=[[["t", "a", 1]], 1, [1.0]], expected={}))


# ------------------------------------------------------------------ plausible wrong answers

# Conceptual mistakes a candidate makes, written as edits of the reference (each edit must
# apply); the hidden tests must reject every one. Single-token slips are the audit's mutants.
WRONG: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
    "coding-algo/top-flagged-accounts#part-1": [
        ("newcomer-starts-at-one", [("count = smallest + 1", "count = 1")]),
        ("stale-heap-count-trusted", [("while self.heap[0][0] != self.counts.get(self.heap[0][1]):",
                                       "while self.heap[0][1] not in self.counts:")]),
    ],
    "coding-algo/withdrawal-median-tracker#part-1": [
        ("balance-by-heap-length", [("self.n_low > self.n_high + 1", "len(self.low) > len(self.high) + 1"),
                                    ("self.n_high > self.n_low", "len(self.high) > len(self.low)")]),
        ("removes-absent-amounts", [("if not self.live[amount]:\n            return False", "if False:\n            pass")]),
    ],
    "coding-algo/risk-score-lru-cache#part-1": [
        ("reads-restart-the-clock", [("self.scores.move_to_end(account)\n        return self.scores[account]",
                                      "self.scores.move_to_end(account)\n        self.written.move_to_end(account)\n"
                                      "        self.written[account] = now\n        return self.scores[account]")]),
        ("expiry-only-on-get", [("self._expire(now)\n        evicted = None", "evicted = None")]),
    ],
    "coding-algo/withdrawal-rate-limiter#part-1": [
        ("rejected-amounts-count", [("        if spent + amount > self.cap:\n            return False",
                                     "        if spent + amount > self.cap:\n            recent.append((ts, amount))\n"
                                     "            self.spent[user] = spent + amount\n            return False")]),
        ("new-amount-not-added", [("if spent + amount > self.cap:", "if spent >= self.cap:")]),
    ],
    "coding-algo/split-transfer-pairs#part-1": [
        ("partners-only-in-the-past", [("bisect_right(partners, ts + self.gap)", "bisect_right(partners, ts)")]),
        ("horizon-ignores-lateness", [("ts - self.lateness - self.gap", "ts - self.gap")]),
    ],
    "coding-algo/merge-session-windows#part-1": [
        ("touching-windows-kept-apart", [("bisect_left(self.ends, start)", "bisect_right(self.ends, start)"),
                                         ("bisect_right(self.starts, end)", "bisect_left(self.starts, end)")]),
        ("counts-windows-not-sessions", [("count = sum(self.counts[lo:hi]) + 1", "count = hi - lo + 1")]),
    ],
    "coding-ml/rolling-account-features#part-1": [
        ("same-second-leaks", [("if acc.pending and acc.pending_ts < ts:", "if acc.pending:")]),
        ("maximum-never-expires", [("        while acc.peaks and acc.peaks[0][0] < ts - self.window:\n"
                                    "            acc.peaks.popleft()\n", "")]),
    ],
    "coding-ml/roc-auc-ties#part-1": [
        ("weights-ignored", [('    """Weighted P(positive', '    weights = [1] * len(weights)\n    """Weighted P(positive')]),
        ("ties-count-nothing", [("neg / 2", "0")]),
    ],
    "coding-ml/stratified-reservoir#part-1": [
        ("key-is-r-times-weight", [("key = r ** (1 / weight)", "key = r * weight")]),
        ("sample-in-arrival-order", [("sorted(heap, reverse=True)", "sorted(heap, key=lambda e: -e[1])")]),
    ],
    "coding-ml/oof-target-encoding#part-1": [
        ("same-second-leaks", [("groupby(order, key=lambda i: rows[i][0])", "groupby(order, key=lambda i: i)")]),
        ("prior-from-all-rows", [("prior = positives / seen", "prior = sum(r[2] for r in rows) / len(rows)")]),
    ],
    "coding-ml/ewm-drift-alerts#part-1": [
        ("warmup-by-stream-position", [("if seen >= warmup", "if i >= warmup")]),
        ("flagged-values-not-learned", [("alerts.append(i)", "alerts.append(i)\n            st[0] = seen + 1\n"
                                                             "            continue")]),
    ],
}


@pytest.mark.parametrize(("uid", "name"), [(uid, name) for uid, ws in WRONG.items() for name, _ in ws])
def test_hidden_tests_reject_a_plausible_wrong_answer(uid, name, tmp_path):
    p = part(uid)
    source = p.solution_path.read_text(encoding="utf-8")
    for old, new in dict(WRONG[uid])[name]:
        assert source.count(old) == 1, f"{uid} {name}: the edit no longer applies: {old!r}"
        source = source.replace(old, new)
    path = tmp_path / f"{file_stem(uid)}-{name}.py"
    path.write_text(source, encoding="utf-8")
    impl = getattr(load_module(path), p.question.entry)
    for case in p.hidden:
        try:
            got = run(impl, p.question, case)
        except Exception:  # a crash on a hidden case counts as caught
            return
        if not agrees(p.question, got, case.expected):
            return
    pytest.fail(f"{uid}: the wrong answer {name!r} passes every hidden test")


def test_every_part_has_wrong_answers():
    assert set(WRONG) == set(PARTS)


# ------------------------------------------------------------------ the real judge

INDEPENDENT_ANSWERS = sorted(
    uid for uid in PARTS if (INDEPENDENT / f"{file_stem(uid)}.py").is_file())


def test_enough_independent_answers():
    assert len(INDEPENDENT_ANSWERS) >= 4, INDEPENDENT_ANSWERS


@pytest.mark.parametrize("uid", INDEPENDENT_ANSWERS)
def test_an_independent_answer_passes_the_judge(uid):
    """Written apart from the reference (another data structure or method), judged by the
    same judge as `drill check --part`, on the examples and every hidden case."""
    from drill.judge.code import judge_code

    p = part(uid)
    result = judge_code(p, (INDEPENDENT / f"{file_stem(uid)}.py").read_text(encoding="utf-8"))
    failures = [f"{c.name}: {c.status} {c.message}" for c in result.cases if not c.passed]
    assert result.verdict == "passed", f"{uid}: {failures}"
    assert result.total == len(all_cases(p))


def test_check_part_on_the_command_line(cli, tmp_path):
    uid = INDEPENDENT_ANSWERS[0]
    base, k = uid.split("#part-")
    code, out, err = cli("check", base, str(INDEPENDENT / f"{file_stem(uid)}.py"), "--part", k, "--json")
    assert code == 0, out + err
    import json

    assert json.loads(out)["question"] == uid and json.loads(out)["verdict"] == "passed"
    # The main question's answer is not an answer to the part.
    main = builtin_catalog().load(base).solution_path
    code, out, _ = cli("check", base, str(main), "--part", k, "--json")
    assert code == 1 and json.loads(out)["verdict"] == "failed"


# The answer that does what the prompt calls too slow: the naive oracle itself, or (where
# the oracle is fast) the slow method the prompt names. A part that states no complexity
# (ewm-drift-alerts: O(n) is the obvious answer) has none.
SLOW = {uid: NAIVE / f"{file_stem(uid)}.py" for uid in PARTS if uid in WRONG}
SLOW["coding-ml/stratified-reservoir#part-1"] = NAIVE / "stratified-reservoir-part-1-minscan.py"
del SLOW["coding-ml/ewm-drift-alerts#part-1"]


@pytest.mark.slow
def test_the_large_cases_are_out_of_reach_of_the_slow_method():
    """Each slow answer is judged on its part's `large-*` cases alone, by the real judge
    under the part's own limit, and runs out of time. The judges run side by side: each is
    a process of its own, and a time limit hit early under load is still a time limit."""
    from concurrent.futures import ThreadPoolExecutor

    from drill.judge.code import judge_spec
    from drill.judge.spec import spec_for

    def judge(uid: str) -> str | None:
        spec = spec_for(part(uid))
        spec = replace(spec, cases=[c for c in spec.cases if c.name.startswith("large-")])
        if not spec.cases:
            return f"{uid} states a complexity but has no large-* case"
        result, _ = judge_spec(spec, SLOW[uid].read_text(encoding="utf-8"), stop_at_failure=True)
        status = result.cases[0].status if result.cases else result.error
        return None if status == "time_limit" else f"{uid}: {status}"

    with ThreadPoolExecutor(max_workers=3) as pool:
        problems = [p for p in pool.map(judge, sorted(SLOW)) if p]
    assert problems == []
    assert len(SLOW) >= 8


def test_the_tests_files_are_what_the_generator_writes():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_part_cases.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
