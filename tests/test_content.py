"""Quality bar for the built-in question packs.

These tests read the shipped packs, not fixtures: they fail when a pack falls short
of the bar (too few questions in a round, a rubric a candidate cannot be pre-marked
against, a stats answer that does not follow from its own prompt).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from statistics import NormalDist

import pytest

from drill.packs.catalog import pack_files
from drill.packs.model import ChoiceQuestion, NumericQuestion, OpenQuestion, SqlQuestion
from drill.packs.packfile import load_pack
from drill.paths import builtin_questions_dir
from drill.session.grading import grade_numeric
from drill.session.suggest import suggestions


@cache
def builtin() -> dict[str, object]:
    """uid -> question for every built-in pack (parsed once per test run)."""
    out: dict[str, object] = {}
    for path in pack_files(builtin_questions_dir()):
        pack = load_pack(path)
        for q in pack.questions:
            out[f"{pack.pack}/{q.id}"] = q
    return out


def in_round(round_: str, *kinds: type) -> list[tuple[str, object]]:
    return [(uid, q) for uid, q in builtin().items()
            if q.round == round_ and (not kinds or isinstance(q, kinds))]


# ------------------------------------------------------------------ counts

OPEN_ROUNDS = ("system-design", "mlops", "ml-modeling", "data-pipelines",
               "deep-learning", "llm-safety", "behavioral", "screen")

MINIMUM = [
    *[(r, "open", 12) for r in OPEN_ROUNDS if r not in ("behavioral", "screen")],
    ("behavioral", "open", 10),
    ("screen", "open", 10),
    ("stats", "numeric/choice", 25),
    ("ml-fundamentals", "numeric/choice", 30),
    ("coding", "code", 30),
    ("sql", "sql", 18),
]


@pytest.mark.parametrize(("round_", "kinds", "minimum"), MINIMUM, ids=[m[0] for m in MINIMUM])
def test_round_has_enough_questions(round_: str, kinds: str, minimum: int) -> None:
    wanted = set(kinds.split("/"))
    got = [uid for uid, q in builtin().items() if q.round == round_ and q.kind in wanted]
    assert len(got) >= minimum, f"round {round_}: {len(got)} {kinds} question(s), need {minimum}"


# ------------------------------------------------------------------ open questions

def _open_questions() -> list[tuple[str, OpenQuestion]]:
    return [(uid, q) for r in OPEN_ROUNDS for uid, q in in_round(r, OpenQuestion)]


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def rubric_problems(rubric: list, model_answer: str) -> list[str]:
    """What stops a rubric from being graded against its own model answer."""
    problems = []
    answer = collapse(model_answer)
    for p in rubric:
        if p.must and not any(collapse(k) in answer for k in p.keywords):
            problems.append(f"must point {p.point[:50]!r}: none of {p.keywords} is in the model answer")
    # The session suggests a point only on specific evidence (drill.session.suggest): the
    # model answer, which covers every point, must still light each one up.
    for p, s in zip(rubric, suggestions(model_answer, rubric), strict=True):
        if not s.hit:
            problems.append(f"point {p.point[:50]!r}: the session would never suggest it on the model answer")
    return problems


def open_question_problems(q: OpenQuestion) -> list[str]:
    problems = []
    if not 5 <= len(q.rubric) <= 9:
        problems.append(f"rubric has {len(q.rubric)} points, want 5-9")
    if not any(p.must for p in q.rubric):
        problems.append("no rubric point is marked must")
    problems += rubric_problems(q.rubric, q.model_answer)
    words = len(q.model_answer.split())
    if not 200 <= words <= 600:
        problems.append(f"model answer has {words} words, want 200-600")
    if not 1 <= len(q.hints) <= 3:
        problems.append(f"{len(q.hints)} hints, want 1-3")
    if not 5 <= (q.minutes or 0) <= 45:
        problems.append(f"minutes {q.minutes}, want 5-45")
    return problems


@pytest.mark.parametrize(("uid", "q"), [pytest.param(uid, q, id=uid) for uid, q in _open_questions()])
def test_open_question_meets_the_bar(uid: str, q: OpenQuestion) -> None:
    problems = open_question_problems(q)
    assert not problems, f"{uid}: " + "; ".join(problems)


def test_the_open_question_check_catches_a_broken_question() -> None:
    # A must keyword absent from the model answer, too few points and a short answer
    # must all be reported, or the parametrised test above proves nothing.
    good = next(q for _, q in _open_questions())
    bad = good.model_copy(deep=True)
    bad.rubric = bad.rubric[:4]
    bad.rubric[0].must = True
    bad.rubric[0].keywords = ["zzz-not-in-any-answer"]
    bad.model_answer = "Too short."
    problems = " ".join(open_question_problems(bad))
    assert "rubric has 4 points" in problems
    assert "zzz-not-in-any-answer" in problems
    assert "model answer has 2 words" in problems


# ------------------------------------------------------------------ near-duplicates

# Calibrated on the shipped packs (207 questions with ml-fundamentals): the most similar
# pair of prompts by word 3-shingle Jaccard scores 0.14, the most similar titles by
# content-word Jaccard 0.43. A lightly edited copy of a prompt scores above 0.5, so these
# thresholds leave room for shared vocabulary while catching rewrites.
PROMPT_MAX = 0.30
TITLE_MAX = 0.70
STOPWORDS = frozenset({
    "a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "from",
    "is", "are", "your", "you", "what", "how", "why", "when",
})


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def shingles(text: str, k: int = 3) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + k]) for i in range(len(w) - k + 1)} or {tuple(w)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if (a or b) else 0.0


def most_similar(feature: Callable[[object], set]) -> list[tuple[float, str, str]]:
    items = [(uid, feature(q)) for uid, q in builtin().items()]
    pairs = [(jaccard(fa, fb), ua, ub) for (ua, fa), (ub, fb) in itertools.combinations(items, 2)]
    return sorted(pairs, reverse=True)


def test_no_two_prompts_are_near_duplicates() -> None:
    top = most_similar(lambda q: shingles(q.prompt))
    too_close = [p for p in top if p[0] > PROMPT_MAX]
    assert not too_close, f"near-duplicate prompts: {too_close[:5]}"


def test_no_two_titles_are_near_duplicates() -> None:
    top = most_similar(lambda q: set(words(q.title)) - STOPWORDS)
    too_close = [p for p in top if p[0] > TITLE_MAX]
    assert not too_close, f"near-duplicate titles: {too_close[:5]}"


def test_similarity_measure_flags_a_light_rewrite() -> None:
    # The threshold is only meaningful if an edited copy of a real prompt crosses it.
    prompt = builtin()["stats/two-signal-posterior"].prompt
    rewrite = prompt.replace("withdrawals", "payouts").replace("Both fire", "Both signals fire")
    assert jaccard(shingles(prompt), shingles(rewrite)) > PROMPT_MAX


# ------------------------------------------------------------------ follow-up probes

def followup_problems(q: OpenQuestion) -> list[str]:
    """A probe is graded like a small question: its model answer must light up its own
    points, it is short, it asks something new, and it weighs less than the main answer."""
    problems = []
    main = shingles(q.prompt)
    for i, f in enumerate(q.followups, 1):
        where = f"follow-up {i}"
        if not 1 <= len(f.rubric) <= 5:
            problems.append(f"{where}: rubric has {len(f.rubric)} points, want 1-5")
        problems += [f"{where}: {p}" for p in rubric_problems(f.rubric, f.model_answer)]
        words = len(f.model_answer.split())
        if not 30 <= words <= 250:
            problems.append(f"{where}: model answer has {words} words, want 30-250")
        if not 0.1 <= f.weight <= 1.0:
            problems.append(f"{where}: weight {f.weight}, want 0.1-1.0 (the main answer weighs 1.0)")
        if jaccard(main, shingles(f.prompt)) > PROMPT_MAX:
            problems.append(f"{where}: the probe repeats the main prompt")
    return problems


def _probed() -> list[tuple[str, OpenQuestion]]:
    return [(uid, q) for uid, q in builtin().items() if isinstance(q, OpenQuestion) and q.followups]


@pytest.mark.parametrize(("uid", "q"), [pytest.param(uid, q, id=uid) for uid, q in _probed()])
def test_followups_are_well_formed(uid: str, q: OpenQuestion) -> None:
    problems = followup_problems(q)
    assert not problems, f"{uid}: " + "; ".join(problems)


def test_enough_open_questions_have_probes() -> None:
    # Issue #16: real interviewers probe after the first answer.
    probed = {uid for uid, _ in _probed()}
    assert len(probed) >= 20, f"{len(probed)} open questions have follow-ups, want 20"
    for round_, minimum in (("screen", 8), ("behavioral", 10)):
        got = [uid for uid in probed if builtin()[uid].round == round_]
        assert len(got) >= minimum, f"round {round_}: {len(got)} question(s) with follow-ups, want {minimum}"


def test_the_followup_check_catches_a_broken_probe() -> None:
    uid, good = _probed()[0]
    assert followup_problems(good) == [], uid
    bad = good.model_copy(deep=True)
    probe = bad.followups[0]
    probe.rubric[0].must = True
    probe.rubric[0].keywords = ["zzz-not-in-any-answer"]
    probe.model_answer = "Too short."
    probe.weight = 2.0
    probe.prompt = bad.prompt
    problems = " ".join(followup_problems(bad))
    assert "zzz-not-in-any-answer" in problems
    assert "would never suggest it" in problems
    assert "model answer has 2 words" in problems
    assert "weight 2.0" in problems
    assert "repeats the main prompt" in problems


# ------------------------------------------------------------------ stats arithmetic

_NUM = re.compile(r"\$?(\d[\d,]*\.?\d*)\s*(%|k\b)?")


def value_of(literal: str) -> float:
    """The first number in a prompt literal: '0.2%' -> 0.002, '$30k' -> 30000, '1,500' -> 1500."""
    m = _NUM.search(literal)
    assert m, f"no number in {literal!r}"
    x = float(m.group(1).replace(",", ""))
    return x / 100 if m.group(2) == "%" else x * 1000 if m.group(2) == "k" else x


def literal_in(literal: str, prompt: str) -> bool:
    # Bounded so that '1%' does not match inside '0.1%' nor '4' inside '400'.
    return re.search(rf"(?<![\w.,]){re.escape(literal)}(?![\w])", prompt) is not None


@dataclass
class Recompute:
    """Recompute a numeric answer from literals that must appear in its prompt."""

    literals: tuple[str, ...]
    formula: Callable[..., float]
    mistakes: tuple[Callable[..., float], ...] = field(default=())
    """Common wrong formulas: the pack's tolerance must reject their results."""

    def values(self) -> list[float]:
        return [value_of(s) for s in self.literals]


def posterior(prior: float, tpr: float, fpr: float) -> float:
    return tpr * prior / (tpr * prior + fpr * (1 - prior))


def z(two_sided_alpha: float) -> float:
    return NormalDist().inv_cdf(1 - two_sided_alpha / 2)


def z_power(power: float) -> float:
    return NormalDist().inv_cdf(power)


def wilson_lower(k: float, n: float, zz: float) -> float:
    p = k / n
    denom = 1 + zz * zz / n
    centre = (p + zz * zz / (2 * n)) / denom
    spread = zz * math.sqrt(p * (1 - p) / n + zz * zz / (4 * n * n)) / denom
    return centre - spread


def poisson_cdf(k: int, lam: float) -> float:
    return sum(math.exp(-lam) * lam ** i / math.factorial(i) for i in range(k + 1))


def bh_count(q: float, *ps: float) -> int:
    m = len(ps)
    passing = [k for k, p in enumerate(sorted(ps), 1) if p <= k * q / m]
    return max(passing, default=0)


def first_failure_count(q: float, *ps: float) -> int:
    m = len(ps)
    return next((k - 1 for k, p in enumerate(sorted(ps), 1) if p > k * q / m), m)


def threshold_cost(n, prev, loss, review, recall, fpr) -> float:
    fraud = n * prev
    return fraud * (1 - recall) * loss + (fraud * recall + (n - fraud) * fpr) * review


def psi(expected: float, *actual: float) -> float:
    return sum((a - expected) * math.log(a / expected) for a in actual)


def ab_n(p1: float, p2: float, za: float, zb: float) -> float:
    return math.ceil((za + zb) ** 2 * (p1 * (1 - p1) + p2 * (1 - p2)) / (p2 - p1) ** 2)


def soft_threshold_l1(lam: float, *ols: float) -> float:
    """L1 norm of the lasso solution for orthonormal features: sum of max(|b| - lam, 0)."""
    return sum(max(abs(b) - lam, 0.0) for b in ols)


def columns_sampled(n: float, *ratios: float) -> int:
    # XGBoost keeps max(1, int(ratio * pool)) at each stage, the stages nested.
    pool = int(n)
    for r in ratios:
        pool = max(1, int(r * pool))
    return pool


def warmup_lr(n: float, batch: float, lo: float, hi: float, epochs: float, step: float) -> float:
    return lo + (hi - lo) * step / (epochs * n / batch)


def mha_params(d: float, heads: float, head_size: float) -> float:
    qkv = 3 * (d * heads * head_size + heads * head_size)
    return qkv + heads * head_size * d + d


P_VALUES = ("0.001", "0.004", "0.012", "0.021", "0.024", "0.041", "0.06", "0.2", "0.5", "0.8")
ECE_BINS = ("10,000", "8,000", "0.01", "0.02", "1,500", "0.20", "0.12", "500", "0.70", "0.55")

RECOMPUTE: dict[str, Recompute] = {
    "stats/ato-flag-posterior": Recompute(
        ("0.2%", "95%", "1%"), posterior,
        mistakes=(lambda prior, tpr, fpr: tpr,)),
    "stats/two-signal-posterior": Recompute(
        ("0.5%", "60%", "3%", "80%", "10%"),
        lambda prior, a1, a0, b1, b0: 100 * (o := prior / (1 - prior) * (a1 / a0) * (b1 / b0)) / (1 + o),
        mistakes=(lambda prior, a1, a0, b1, b0: 100 * a1 * b1,)),
    "stats/precision-at-prevalence": Recompute(
        ("1,000,000", "0.1%", "80%", "0.5%"),
        lambda n, prev, rec, fpr: 100 * n * prev * rec / (n * prev * rec + n * (1 - prev) * fpr),
        mistakes=(lambda n, prev, rec, fpr: 100 * rec,)),
    "stats/daily-alert-volume": Recompute(
        ("3,000,000", "0.05%", "70%", "0.04%"),
        lambda n, prev, rec, fpr: n * prev * rec + n * (1 - prev) * fpr,
        mistakes=(lambda n, prev, rec, fpr: n * prev * rec,
                  lambda n, prev, rec, fpr: n * (1 - prev) * fpr)),
    "stats/balanced-test-precision": Recompute(
        ("90% precision", "85%", "0.2%"),
        lambda prec, rec, prev: 100 * posterior(prev, rec, rec / prec - rec),
        mistakes=(lambda prec, rec, prev: 100 * prec,)),
    "stats/queue-recall": Recompute(
        ("500", "12%", "90"), lambda k, prec, total: 100 * k * prec / total,
        mistakes=(lambda k, prec, total: 100 * prec,)),
    "stats/threshold-cost-comparison": Recompute(
        ("50,000", "0.4%", "$2,000", "$12", "75%", "1%", "85%", "3%"),
        lambda n, prev, loss, rev, ra, fa, rb, fb: abs(
            threshold_cost(n, prev, loss, rev, ra, fa) - threshold_cost(n, prev, loss, rev, rb, fb)),
        mistakes=(lambda n, prev, loss, rev, ra, fa, rb, fb: abs(  # review cost on false alerts only
            threshold_cost(n, prev, loss, rev, ra, fa) - threshold_cost(n, prev, loss, rev, rb, fb))
            - n * prev * (rb - ra) * rev,)),
    "stats/cost-optimal-cutoff": Recompute(
        ("$900", "$30"), lambda save, cost: cost / (save + cost),
        mistakes=(lambda save, cost: cost / save,)),
    "stats/ab-sample-size": Recompute(
        ("4.0%", "4.5%", "1.96", "0.84"), ab_n,
        mistakes=(lambda p1, p2, za, zb: ab_n(p1, p2, 1.645, zb),
                  lambda p1, p2, za, zb: 2 * ab_n(p1, p2, za, zb))),
    "stats/ab-minimum-detectable-effect": Recompute(
        ("8,000", "10%", "0.05", "80%"),
        lambda n, p, alpha, power: 100 * (z(alpha) + z_power(power)) * math.sqrt(2 * p * (1 - p) / n),
        mistakes=(lambda n, p, alpha, power: 100 * (z(alpha) + z_power(power)) * math.sqrt(p * (1 - p) / n),
                  lambda n, p, alpha, power: 100 * z(alpha) * math.sqrt(2 * p * (1 - p) / n))),
    "stats/alert-precision-interval": Recompute(
        ("600", "180", "95%"),
        lambda n, k, conf: 100 * z(1 - conf) * math.sqrt(k / n * (1 - k / n) / n),
        mistakes=(lambda n, k, conf: 100 * z(0.10) * math.sqrt(k / n * (1 - k / n) / n),)),
    "stats/wilson-lower-bound": Recompute(
        ("400", "12", "1.96"), lambda n, k, zz: 100 * wilson_lower(k, n, zz),
        mistakes=(lambda n, k, zz: 100 * (k / n - zz * math.sqrt(k / n * (1 - k / n) / n)),)),
    "stats/zero-events-upper-bound": Recompute(
        ("1,500",), lambda n: 100 * 3 / n,
        mistakes=(lambda n: 100 / n,)),
    "stats/expected-calibration-error": Recompute(
        ECE_BINS,
        lambda total, n1, p1, o1, n2, p2, o2, n3, p3, o3: (
            n1 * abs(p1 - o1) + n2 * abs(p2 - o2) + n3 * abs(p3 - o3)) / total,
        mistakes=(lambda total, n1, p1, o1, n2, p2, o2, n3, p3, o3: (
            abs(p1 - o1) + abs(p2 - o2) + abs(p3 - o3)) / 3,)),
    "stats/downsampled-negatives-correction": Recompute(
        ("5%", "0.6"), lambda beta, s: beta * s / (beta * s + 1 - s),
        mistakes=(lambda beta, s: beta * s,)),
    "stats/uncorrected-drift-alarms": Recompute(
        ("40", "0.05"), lambda m, a: 100 * (1 - (1 - a) ** m),
        mistakes=(lambda m, a: 100 * m * a,)),
    "stats/benjamini-hochberg-count": Recompute(
        ("q = 0.05", *P_VALUES), bh_count,
        mistakes=(first_failure_count, lambda q, *ps: sum(p <= q / len(ps) for p in ps))),
    "stats/correlated-loss-variance": Recompute(
        ("$30k", "$40k", "0.5"),
        lambda sx, sy, rho: math.sqrt(sx ** 2 + sy ** 2 + 2 * rho * sx * sy) / 1000,
        mistakes=(lambda sx, sy, rho: math.hypot(sx, sy) / 1000, lambda sx, sy, rho: (sx + sy) / 1000)),
    "stats/aggregate-loss-spread": Recompute(
        ("10,000", "0.001", "$5,000"), lambda n, p, loss: loss * math.sqrt(n * p * (1 - p)),
        mistakes=(lambda n, p, loss: math.sqrt(loss * n * p * (1 - p)),)),
    "stats/poisson-alert-tail": Recompute(
        ("4", "8 or more"), lambda lam, k: 100 * (1 - poisson_cdf(int(k) - 1, lam)),
        mistakes=(lambda lam, k: 100 * (1 - poisson_cdf(int(k), lam)),
                  lambda lam, k: 100 * math.exp(-lam) * lam ** k / math.factorial(int(k)))),
    "stats/poisson-paging-threshold": Recompute(
        ("3", "1%"), lambda lam, risk: next(k for k in range(100) if 1 - poisson_cdf(k - 1, lam) <= risk),
        mistakes=(lambda lam, risk: next(k for k in range(100) if 1 - poisson_cdf(k, lam) <= risk),)),
    "stats/label-delay-missing-share": Recompute(
        ("median of 12 days", "30 days"), lambda median, t: 100 * 0.5 ** (t / median),
        mistakes=(lambda median, t: 100 * math.exp(-t / median),)),
    "stats/label-completion-estimate": Recompute(
        ("80%", "100,000", "240"), lambda done, n, seen: 100 * seen / done / n,
        mistakes=(lambda done, n, seen: 100 * seen / n, lambda done, n, seen: 100 * seen / 0.97 / n)),
    "stats/psi-four-bins": Recompute(
        ("25%", "10%", "20%", "30%", "40%"), psi,
        mistakes=(lambda e, *a: sum(x * math.log(x / e) for x in a),)),
    # ---------------------------------------------------------------- ml-fundamentals
    "ml-fundamentals/lasso-soft-threshold": Recompute(
        ("λ = 0.5", "1.8", "-0.3", "0.6", "-1.1", "0.2"), soft_threshold_l1,
        mistakes=(lambda lam, *b: sum(map(abs, b)) - len(b) * lam,          # no clipping at zero
                  lambda lam, *b: sum(map(abs, b)) / (1 + lam),             # ridge-style shrinkage
                  lambda lam, *b: soft_threshold_l1(lam / 2, *b))),         # objective without the 1/2
    "ml-fundamentals/adamw-shrink-factor": Recompute(
        ("0.001", "0.01", "10,000"), lambda lr, wd, n: (1 - lr * wd) ** n,
        mistakes=(lambda lr, wd, n: (1 - wd) ** n, lambda lr, wd, n: 1 - n * lr * wd)),
    "ml-fundamentals/min-child-weight-rows": Recompute(
        ("0.2%", "min_child_weight = 5"), lambda p, w: math.ceil(w / (p * (1 - p))),
        mistakes=(lambda p, w: w, lambda p, w: math.ceil(w / p))),
    "ml-fundamentals/colsample-cumulative": Recompute(
        ("100 features", "colsample_bytree = 0.5", "colsample_bylevel = 0.5", "colsample_bynode = 0.8"),
        columns_sampled,
        mistakes=(lambda n, a, b, c: n * c, lambda n, a, b, c: n * a)),
    "ml-fundamentals/linear-scaling-rule": Recompute(
        ("0.1", "256", "2,048"), lambda lr, b0, b1: lr * b1 / b0,
        mistakes=(lambda lr, b0, b1: lr * math.sqrt(b1 / b0), lambda lr, b0, b1: lr)),
    "ml-fundamentals/warmup-lr-at-step": Recompute(
        ("1,024,000", "2,048", "0.1", "0.8", "5 epochs", "1,000 steps"), warmup_lr,
        mistakes=(lambda n, b, lo, hi, ep, t: warmup_lr(n, b, 0.0, hi, ep, t),   # ramp from zero
                  lambda n, b, lo, hi, ep, t: warmup_lr(n, 256, lo, hi, ep, t))),  # old batch size
    "ml-fundamentals/class-weight-intercept": Recompute(
        ("249", "0.35"), lambda w, b: b - math.log(w),
        mistakes=(lambda w, b: b - math.log10(w), lambda w, b: b + math.log(w))),
    "ml-fundamentals/batch-without-positives": Recompute(
        ("512", "0.2%"), lambda n, p: 100 * (1 - p) ** n,
        mistakes=(lambda n, p: 100 * (1 - (1 - p) ** n), lambda n, p: 100 * max(0.0, 1 - n * p))),
    "ml-fundamentals/pr-auc-random-ranker": Recompute(
        ("0.4%",), lambda prev: 100 * prev,
        mistakes=(lambda prev: 50.0,)),
    "ml-fundamentals/logloss-three-predictions": Recompute(
        ("0.9", "0.2", "0.05"), lambda a, b, c: -(math.log(a) + math.log(1 - b) + math.log(c)) / 3,
        mistakes=(lambda a, b, c: -(math.log10(a) + math.log10(1 - b) + math.log10(c)) / 3,
                  lambda a, b, c: -(math.log(a) + math.log(b) + math.log(c)) / 3)),
    "ml-fundamentals/max-recall-at-capacity": Recompute(
        ("200,000", "0.3%", "400"), lambda n, prev, k: 100 * min(1.0, k / (n * prev)),
        mistakes=(lambda n, prev, k: 100 * k / n, lambda n, prev, k: 100.0)),
    "ml-fundamentals/fold-straddling-accounts": Recompute(
        ("5 folds", "4 transactions"), lambda k, m: 100 * (1 - k * (1 / k) ** m),
        mistakes=(lambda k, m: 100 * (1 - (1 / k) ** m), lambda k, m: 100 * (1 - 1 / k))),
    "ml-fundamentals/smoothed-target-encoding": Recompute(
        ("3 transactions", "1 fraud", "0.5%", "m = 20"), lambda n, k, prior, m: 100 * (k + m * prior) / (n + m),
        mistakes=(lambda n, k, prior, m: 100 * k / n, lambda n, k, prior, m: 100 * (k / n + prior) / 2)),
    "ml-fundamentals/nested-cv-fit-count": Recompute(
        ("5 outer folds", "30 configurations", "4-fold"), lambda outer, configs, inner: outer * (inner * configs + 1),
        mistakes=(lambda outer, configs, inner: outer * inner * configs,
                  lambda outer, configs, inner: outer * inner * configs + 1)),
    "ml-fundamentals/cosine-to-euclidean": Recompute(
        ("0.8",), lambda cos: math.sqrt(2 - 2 * cos),
        mistakes=(lambda cos: 1 - cos, lambda cos: math.sqrt(1 - cos))),
    "ml-fundamentals/hashing-trick-collisions": Recompute(
        ("50,000", "1,048,576"), lambda n, m: n * (n - 1) / 2 / m,
        mistakes=(lambda n, m: n * n / m, lambda n, m: n / m)),
    "ml-fundamentals/attention-score-count": Recompute(
        ("16 sequences", "2,048", "12 heads"), lambda b, n, h: b * h * n * n / 1e6,
        mistakes=(lambda b, n, h: b * n * n / 1e6, lambda b, n, h: b * h * n * n / 2e6)),
    "ml-fundamentals/attention-vs-projection-cost": Recompute(
        ("768",), lambda d: 2 * d,
        mistakes=(lambda d: d, lambda d: 4 * d)),
    "ml-fundamentals/multi-head-param-count": Recompute(
        ("512", "8 heads", "64"), mha_params,
        mistakes=(lambda d, h, k: h * 4 * (d * d + d), lambda d, h, k: 3 * (d * d + d))),
}


RECOMPUTED_ROUNDS = ("stats", "ml-fundamentals")


def test_enough_stats_answers_are_recomputed() -> None:
    numeric = {uid for r in RECOMPUTED_ROUNDS for uid, _ in in_round(r, NumericQuestion)}
    unknown = set(RECOMPUTE) - numeric
    assert not unknown, f"recompute table names questions that are not numeric questions of {RECOMPUTED_ROUNDS}: {unknown}"
    assert sum(uid.startswith("stats/") for uid in RECOMPUTE) >= 12


def test_every_ml_fundamentals_number_is_recomputed() -> None:
    # The round is new and fully covered: a numeric question added later must come with its formula.
    missing = {uid for uid, _ in in_round("ml-fundamentals", NumericQuestion)} - set(RECOMPUTE)
    assert not missing, f"numeric ml-fundamentals questions without a Recompute entry: {sorted(missing)}"


def recompute_problems(uid: str, q: NumericQuestion, r: Recompute) -> list[str]:
    absent = [s for s in r.literals if not literal_in(s, q.prompt)]
    if absent:
        return [f"{uid}: the prompt does not state {absent}"]
    problems = []
    exact = r.formula(*r.values())
    if abs(exact - q.answer) > q.tolerance + 1e-9 or grade_numeric(exact, q.answer, q.tolerance, q.unit) != 1.0:
        problems.append(f"{uid}: recomputed {exact:.6g}, pack says {q.answer} ± {q.tolerance}")
    for wrong in r.mistakes:
        value = wrong(*r.values())
        if grade_numeric(value, q.answer, q.tolerance, q.unit) != 0.0:
            problems.append(f"{uid}: the tolerance {q.tolerance} accepts the common mistake {value:.6g}")
    return problems


@pytest.mark.parametrize("uid", sorted(RECOMPUTE))
def test_stats_answer_follows_from_its_prompt(uid: str) -> None:
    q = builtin().get(uid)
    if q is None:
        pytest.fail(f"{uid} is not a built-in question")
    problems = recompute_problems(uid, q, RECOMPUTE[uid])
    assert not problems, "; ".join(problems)


def test_recompute_check_catches_broken_questions() -> None:
    uid = "stats/cost-optimal-cutoff"
    q, r = builtin()[uid], RECOMPUTE[uid]
    assert recompute_problems(uid, q, r) == []
    wrong_answer = q.model_copy(update={"answer": q.answer + 3 * q.tolerance})
    assert "recomputed" in " ".join(recompute_problems(uid, wrong_answer, r))
    # 30 / 900 is the mistake the explanation warns about; a loose tolerance accepts it.
    loose = q.model_copy(update={"tolerance": 0.002})
    assert "common mistake" in " ".join(recompute_problems(uid, loose, r))
    edited = q.model_copy(update={"prompt": q.prompt.replace("$900", "$950")})
    assert "does not state" in " ".join(recompute_problems(uid, edited, r))


def test_ml_recompute_check_catches_broken_questions() -> None:
    # The same check on an ml-fundamentals entry: the sqrt-scaling mistake must be rejected.
    uid = "ml-fundamentals/linear-scaling-rule"
    q, r = builtin()[uid], RECOMPUTE[uid]
    assert recompute_problems(uid, q, r) == []
    loose = q.model_copy(update={"tolerance": 0.6})
    assert "common mistake" in " ".join(recompute_problems(uid, loose, r))
    edited = q.model_copy(update={"prompt": q.prompt.replace("**2,048**", "**4,096**")})
    assert "does not state" in " ".join(recompute_problems(uid, edited, r))


def test_literal_matching_respects_number_boundaries() -> None:
    assert literal_in("1%", "a 1% rate")
    assert not literal_in("1%", "a 0.1% rate")
    assert not literal_in("4", "400 alerts")
    assert literal_in("4", "averaging **4** per hour.")
    assert value_of("$30k") == 30000 and value_of("0.2%") == pytest.approx(0.002)
    assert value_of("1,500") == 1500 and value_of("median of 12 days") == 12


# ------------------------------------------------------------------ choice and numeric hygiene

def _scored() -> list[tuple[str, object]]:
    return [(uid, q) for uid, q in builtin().items() if isinstance(q, (ChoiceQuestion, NumericQuestion))]


def test_every_choice_answer_is_a_valid_index() -> None:
    bad = []
    for uid, q in _scored():
        if isinstance(q, ChoiceQuestion):
            answers = q.answer if isinstance(q.answer, list) else [q.answer]
            if not answers or any(not 0 <= a < len(q.choices) for a in answers) or len(set(answers)) != len(answers):
                bad.append(uid)
    assert not bad, f"invalid answer indexes: {bad}"


def test_every_explanation_is_written() -> None:
    bad = [uid for uid, q in _scored() if not q.explanation.strip()]
    assert not bad, f"empty explanations: {bad}"


def test_stats_questions_have_the_expected_shape() -> None:
    problems = []
    for uid, q in in_round("stats"):
        if not isinstance(q, (ChoiceQuestion, NumericQuestion)):
            problems.append(f"{uid}: kind {q.kind}, want numeric or choice")
            continue
        if not 2 <= (q.minutes or 0) <= 8:
            problems.append(f"{uid}: minutes {q.minutes}, want 2-8")
        if not q.tags:
            problems.append(f"{uid}: no tags")
        if isinstance(q, ChoiceQuestion) and not 3 <= len(q.choices) <= 5:
            problems.append(f"{uid}: {len(q.choices)} choices, want 3-5")
        if len(set(map(collapse, getattr(q, "choices", [])))) != len(getattr(q, "choices", [])):
            problems.append(f"{uid}: repeated choices")
    assert not problems, "; ".join(problems)


def test_stats_difficulties_are_mixed() -> None:
    counts = Counter(q.difficulty for _, q in in_round("stats"))
    assert all(counts[d] >= 4 for d in ("easy", "medium", "hard")), counts


# ------------------------------------------------------------------ sql datasets

SQL_MIN_DATASETS = 10


def sql_dataset_problems(q: SqlQuestion) -> list[str]:
    """A SQL question is judged on its hidden datasets: enough of them, each named (for the
    mistake it catches, which is what a failing answer is shown), no name used twice."""
    problems = []
    if len(q.tests) < SQL_MIN_DATASETS:
        problems.append(f"{len(q.tests)} hidden datasets, want at least {SQL_MIN_DATASETS}")
    names = [c.name for c in q.tests]
    if any(not n for n in names):
        problems.append("a hidden dataset has no name")
    dupes = sorted(n for n, k in Counter(names).items() if n and k > 1)
    if dupes:
        problems.append(f"dataset names used twice: {dupes}")
    return problems


@pytest.mark.parametrize(("uid", "q"), [pytest.param(uid, q, id=uid) for uid, q in in_round("sql", SqlQuestion)])
def test_sql_question_has_enough_named_datasets(uid: str, q: SqlQuestion) -> None:
    problems = sql_dataset_problems(q)
    assert not problems, f"{uid}: " + "; ".join(problems)


def test_the_sql_dataset_check_catches_a_thin_question() -> None:
    good = next(q for _, q in in_round("sql", SqlQuestion))
    assert not sql_dataset_problems(good)
    thin = good.model_copy(update={"tests": good.tests[:SQL_MIN_DATASETS - 1]})
    assert any("hidden datasets" in p for p in sql_dataset_problems(thin))
    unnamed = good.model_copy(update={"tests": [*good.tests, good.tests[0].model_copy(update={"name": None})]})
    assert "a hidden dataset has no name" in sql_dataset_problems(unnamed)
    twice = good.model_copy(update={"tests": [*good.tests, good.tests[0]]})
    assert any("used twice" in p for p in sql_dataset_problems(twice))


# ------------------------------------------------------------------ what code may import


def test_every_code_prompt_says_what_may_be_imported() -> None:
    """A candidate who reaches for numpy must know before the judge says no (issue #14)."""
    from drill.packs.model import CodeQuestion

    missing = []
    for uid, q in builtin().items():
        if not isinstance(q, CodeQuestion):
            continue
        prompt = " ".join(q.prompt.split()).lower()
        if not q.requires:
            ok = "standard library only" in prompt
        else:
            ok = all(re.search(rf"\b{re.escape(m.lower())}\b", prompt) for m in q.requires) and "may use" in prompt
        if not ok:
            missing.append(uid)
    assert missing == []


# ------------------------------------------------------------------ ml-fundamentals

ML_TOPICS = ("bias-variance", "regularisation", "gbdt", "learning-rate", "batch-size", "class-imbalance",
             "metrics", "cross-validation", "model-choice", "embeddings", "attention")
GIVEAWAYS = re.compile(r"\b(all|none|both) of the above\b", re.IGNORECASE)


def ml_fundamentals_problems(q: object) -> list[str]:
    """What keeps one ml-fundamentals question below the bar (empty when it meets it)."""
    if not isinstance(q, (ChoiceQuestion, NumericQuestion)):
        return [f"kind {q.kind}, want numeric or choice"]
    problems = []
    if not 2 <= (q.minutes or 0) <= 5:
        problems.append(f"minutes {q.minutes}, want 2-5")
    if not q.tags:
        problems.append("no tags")
    if len(q.hints) > 1:
        problems.append(f"{len(q.hints)} hints, want at most 1")
    words = len(q.explanation.split())
    if not 60 <= words <= 200:
        problems.append(f"explanation has {words} words, want 60-200")
    if isinstance(q, ChoiceQuestion):
        if not 4 <= len(q.choices) <= 5:
            problems.append(f"{len(q.choices)} choices, want 4-5")
        if len(set(map(collapse, q.choices))) != len(q.choices):
            problems.append("repeated choices")
        if any(GIVEAWAYS.search(c) for c in q.choices):
            problems.append("an 'all/none of the above' choice")
    return problems


@pytest.mark.parametrize(("uid", "q"), [pytest.param(uid, q, id=uid) for uid, q in in_round("ml-fundamentals")])
def test_ml_fundamentals_question_meets_the_bar(uid: str, q: object) -> None:
    problems = ml_fundamentals_problems(q)
    assert not problems, f"{uid}: " + "; ".join(problems)


def test_the_ml_fundamentals_check_catches_a_broken_question() -> None:
    good = next(q for _, q in in_round("ml-fundamentals", ChoiceQuestion))
    assert ml_fundamentals_problems(good) == []
    bad = good.model_copy(update={"choices": [*good.choices[:2], "All of the above"], "explanation": "Because.",
                                  "minutes": 9, "hints": ["a", "b"]})
    problems = " ".join(ml_fundamentals_problems(bad))
    for expected in ("3 choices", "all/none of the above", "explanation has 1 words", "minutes 9", "2 hints"):
        assert expected in problems


def test_ml_fundamentals_covers_every_topic() -> None:
    counts = Counter(tag for _, q in in_round("ml-fundamentals") for tag in q.tags)
    thin = {t: counts[t] for t in ML_TOPICS if counts[t] < 2}
    assert not thin, f"topics with fewer than 2 questions: {thin}"


def test_ml_fundamentals_difficulties_are_mixed() -> None:
    counts = Counter(q.difficulty for _, q in in_round("ml-fundamentals"))
    assert all(counts[d] >= 4 for d in ("easy", "medium", "hard")), counts


def test_ml_fundamentals_choices_do_not_give_the_answer_away() -> None:
    # Test-wise candidates pick the longest option or a favourite letter; neither may pay.
    single = [q for _, q in in_round("ml-fundamentals", ChoiceQuestion) if not isinstance(q.answer, list)]
    positions = Counter(q.answer for q in single)
    assert max(positions.values()) <= 0.4 * len(single), f"answer positions: {dict(positions)}"
    longest = [q.id for q in single
               if len(q.choices[q.answer]) > max(len(c) for i, c in enumerate(q.choices) if i != q.answer)]
    assert len(longest) <= len(single) // 2, f"the key is the longest choice in {len(longest)}/{len(single)}: {longest}"
