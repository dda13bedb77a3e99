"""The built-in ML-coding pack: valid, its expected values recomputed by brute force, and
plausible wrong answers caught by the hidden tests."""

from __future__ import annotations

import copy
import math
import statistics
from bisect import bisect_left, bisect_right
from collections import Counter
from fractions import Fraction
from functools import cache
from itertools import groupby, pairwise
from pathlib import Path

import pytest

from drill.packs.packfile import load_pack, load_tests_file
from tests.packkit import assert_coding_pack_shape

PACK = Path(__file__).resolve().parent.parent / "questions" / "coding-ml.yaml"
LARGE = {"roc-auc-ties", "average-precision", "alert-budget-threshold", "cost-min-threshold",
         "oof-target-encoding", "rolling-account-features", "decayed-counterparty-score"}


@cache
def pack():
    return load_pack(PACK, deep=True)


QUESTIONS = {q.id: q for q in pack().questions}


def test_pack_validates(cli):
    code, out, _err = cli("packs", "validate", str(PACK))
    assert code == 0, out


def test_pack_shape():
    assert pack().pack == "coding-ml"
    assert_coding_pack_shape(pack(), PACK, (4, 7, 4))
    for q in QUESTIONS.values():
        if q.id in LARGE:
            # Questions that state a complexity carry a large case to enforce it.
            assert q.tests_file == f"coding-ml/{q.id}.json", q.id
            assert (PACK.parent / q.tests_file).stat().st_size < 1_000_000, q.id
            assert load_tests_file(PACK.parent / q.tests_file), q.id
        else:
            assert q.tests_file is None, q.id


# ------------------------------------------------------------ brute-force oracles
# Deliberately naive (quadratic scans, exact fractions) and independent of the
# reference solutions: each recomputes every example and hidden test in the YAML.

D = 86_400


class WelfordStats:
    def __init__(self):
        self.xs = []

    def push(self, x):
        self.xs.append(x)

    def count(self):
        return len(self.xs)

    def mean(self):
        return float(statistics.fmean(self.xs)) if self.xs else None

    def variance(self):
        # statistics.variance is exact on these inputs (it works with fractions)
        return float(statistics.variance(self.xs)) if len(self.xs) >= 2 else None


def calibration_ece(probs, labels, n_bins):
    if not probs:
        return 0.0
    bins = {}
    for p, y in zip(probs, labels, strict=True):
        b = int(p * n_bins)
        if b >= n_bins:
            b = n_bins - 1
        bins.setdefault(b, []).append((Fraction(p), y))
    n = len(probs)
    total = Fraction(0)
    for rows in bins.values():
        mp = sum(p for p, _ in rows) / len(rows)
        my = Fraction(sum(y for _, y in rows), len(rows))
        total += Fraction(len(rows), n) * abs(mp - my)
    return float(total)


def psi_drift(baseline, current, edges, eps=1e-4):
    k = len(edges) - 1

    def bin_of(x):
        if x >= edges[k]:
            return k - 1
        for i in range(k - 1, -1, -1):
            if x >= edges[i]:
                return i
        return 0

    def shares(sample):
        counts = [0] * k
        for x in sample:
            counts[bin_of(x)] += 1
        return [c / len(sample) if c / len(sample) >= eps else eps for c in counts]

    b, c = shares(baseline), shares(current)
    return sum((ci - bi) * math.log(ci / bi) for bi, ci in zip(b, c, strict=True))


def mature_labels(payments, as_of, window_days):
    h = window_days * D
    out = []
    for pid, paid, cb in payments:
        if as_of - paid >= h:
            lab = 1 if (cb is not None and cb <= paid + h) else 0
            out.append((paid, pid, lab))
    out.sort()
    return [[pid, lab] for _, pid, lab in out]


def roc_auc_ties(scores, labels):
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return None
    w = Fraction(0)
    for p in pos:
        for n in neg:
            w += 1 if p > n else Fraction(1, 2) if p == n else 0
    return float(w / (len(pos) * len(neg)))


def average_precision(scores, labels):
    n_pos = sum(labels)
    if n_pos == 0:
        return None
    ap = Fraction(0)
    prev_r = Fraction(0)
    for t in sorted(set(scores), reverse=True):
        flagged = [y for s, y in zip(scores, labels, strict=True) if s >= t]
        p = Fraction(sum(flagged), len(flagged))
        r = Fraction(sum(flagged), n_pos)
        ap += (r - prev_r) * p
        prev_r = r
    return float(ap)


def alert_budget_threshold(events, budget):
    cands = sorted({s for _, s, _ in events})
    days = {}
    for d, s, _ in events:
        days.setdefault(d, []).append(s)
    for t in cands:
        if all(sum(1 for s in v if s >= t) <= budget for v in days.values()):
            fl = [y for _, s, y in events if s >= t]
            return [t, sum(fl) / len(fl), len(fl)]
    return [None, None, 0]


def purged_time_folds(rows, cuts, gap, train_span=None):
    out = []
    for j in range(len(cuts) - 1):
        s, e = cuts[j], cuts[j + 1]
        c = s - gap
        tr, va = [], []
        for rid, ev, lab in rows:
            if lab <= c - 1 and (train_span is None or not (ev < c - train_span)):
                tr.append(rid)
            if ev >= s and not (ev >= e):
                va.append(rid)
        out.append([sorted(tr), sorted(va)])
    return out


def ewm_drift_alerts(values, alpha, z, warmup):
    if not values:
        return {"alerts": [], "mean": None, "var": None}
    m, v = values[0], 0.0
    al = []
    for i in range(1, len(values)):
        x = values[i]
        d = x - m
        if i >= warmup and abs(d) > z * math.sqrt(v):
            al.append(i)
        m = m + alpha * d
        v = (1 - alpha) * (v + alpha * d * d)
    return {"alerts": al, "mean": m, "var": v}


def cost_min_threshold(scores, labels, amounts, review_cost):
    best = (sum(a for y, a in zip(labels, amounts, strict=True) if y), 0, None)
    cands = sorted(set(scores), reverse=True)
    for t in cands:
        n = sum(1 for s in scores if s >= t)
        miss = sum(a for s, y, a in zip(scores, labels, amounts, strict=True) if y and s < t)
        c = review_cost * n + miss
        if (c, n) < best[:2]:
            best = (c, n, t)
    return [best[2], best[0]]


def stratified_reservoir(stream, k, rand):
    res, cnt, used = {}, {}, 0
    for tier, tx in stream:
        res.setdefault(tier, [])
        n = cnt.get(tier, 0)
        cnt[tier] = n + 1
        if len(res[tier]) < k:
            res[tier].append(tx)
            continue
        r = rand[used]
        used += 1
        j = int(r * (n + 1))
        if j <= k - 1:
            res[tier][j] = tx
    return res


def oof_target_encoding(categories, labels, folds, smoothing, test_categories):
    m = Fraction(smoothing)
    rows = list(zip(categories, labels, folds, strict=True))

    def enc(pool, c):
        if not pool:
            return None
        prior = Fraction(sum(y for _, y, _ in pool), len(pool))
        sub = [y for cc, y, _ in pool if cc == c]
        return float((sum(sub) + m * prior) / (len(sub) + m))

    train = [enc([r for r in rows if r[2] != f], c) for c, _, f in rows]
    test = [enc(rows, c) for c in test_categories]
    return [train, test]


def rolling_account_features(events, window):
    out = []
    for a, t, _ in events:
        w = [y for b, s, y in events if b == a and t - window <= s < t]
        out.append([len(w), sum(w), max(w) if w else None])
    return out


def decayed_counterparty_score(transfers, window, half_life):
    out = []
    for a, _, t in transfers:
        last = {}
        for b, c, s in transfers:
            if b == a and t - window < s <= t:
                last[c] = max(last.get(c, s), s)
        out.append(math.fsum(2.0 ** (-(t - s) / half_life) for s in last.values()))
    return out


class ReorgEventLedger:
    def __init__(self):
        self.ev = []  # list of [chain, tx, li, block, amount]
        self.fin = {}

    def _find(self, chain, tx, li):
        for e in self.ev:
            if e[0] == chain and e[1] == tx and e[2] == li:
                return e
        return None

    def upsert(self, chain, tx, li, block, amount):
        e = self._find(chain, tx, li)
        if e is None:
            self.ev.append([chain, tx, li, block, amount])
            return "inserted"
        if e[3] == block and e[4] == amount:
            return "unchanged"
        if chain in self.fin and e[3] <= self.fin[chain]:
            return "rejected"
        e[3], e[4] = block, amount
        return "updated"

    def reorg(self, chain, from_block):
        if chain in self.fin and from_block <= self.fin[chain]:
            return None
        keep = [e for e in self.ev if not (e[0] == chain and e[3] >= from_block)]
        n = len(self.ev) - len(keep)
        self.ev = keep
        return n

    def finalize(self, chain, block):
        self.fin[chain] = max(self.fin.get(chain, block), block)

    def total(self, chain):
        return sum(e[4] for e in self.ev if e[0] == chain)

    def rows(self, chain):
        return sorted([e[1], e[2], e[3], e[4]] for e in self.ev if e[0] == chain)


ORACLES = {
    "welford-stats": WelfordStats, "calibration-ece": calibration_ece, "psi-drift": psi_drift,
    "mature-labels": mature_labels, "roc-auc-ties": roc_auc_ties,
    "average-precision": average_precision, "alert-budget-threshold": alert_budget_threshold,
    "purged-time-folds": purged_time_folds, "ewm-drift-alerts": ewm_drift_alerts,
    "cost-min-threshold": cost_min_threshold, "stratified-reservoir": stratified_reservoir,
    "oof-target-encoding": oof_target_encoding, "rolling-account-features": rolling_account_features,
    "decayed-counterparty-score": decayed_counterparty_score, "reorg-event-ledger": ReorgEventLedger,
}


def plain(v):
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


def run(impl, q, case):
    if q.is_class:
        out, obj = [], None
        for method, args in copy.deepcopy(case.calls):
            if method == "__init__":
                obj = impl(*args)
                out.append(None)
            else:
                out.append(getattr(obj, method)(*args))
        return plain(out)
    return plain(impl(*copy.deepcopy(case.args or []), **copy.deepcopy(case.kwargs or {})))


def same(got, want, q) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return type(got) is type(want) and got == want
    if isinstance(want, float) or isinstance(got, float):
        return (isinstance(got, (int, float)) and isinstance(want, (int, float))
                and math.isclose(got, want, rel_tol=q.compare.rel_tol, abs_tol=q.compare.abs_tol))
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(
            same(g, w, q) for g, w in zip(got, want, strict=True))
    if isinstance(want, dict):
        return isinstance(got, dict) and got.keys() == want.keys() and all(
            same(got[k], want[k], q) for k in want)
    return type(got) is type(want) and got == want


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_expected_values_match_a_brute_force_oracle(qid):
    q = QUESTIONS[qid]
    for case in [*q.examples, *q.tests]:
        got = run(ORACLES[qid], q, case)
        assert same(got, case.expected, q), f"{qid}/{case.name}: oracle gives {got}, YAML says {case.expected}"


# ------------------------------------------------------------ wrong answers
# Plausible mistakes (off-by-one edges, ties, leakage); each must fail a hidden test.
# The quadratic "correct but slow" answers are left to the judge's time limit.


class WelfordStatsNaiveSumOfSquares:
    """Sum and sum of squares: cancels on large, close values."""

    def __init__(self):
        self.n = 0
        self.s = 0.0
        self.q = 0.0

    def push(self, x):
        self.n += 1
        self.s += x
        self.q += x * x

    def count(self):
        return self.n

    def mean(self):
        return self.s / self.n if self.n else None

    def variance(self):
        if self.n < 2:
            return None
        return (self.q - self.s * self.s / self.n) / (self.n - 1)


class WelfordStatsPopulationVariance(WelfordStatsNaiveSumOfSquares):
    """Welford but dividing by n (population variance)."""

    def __init__(self):
        self.n = 0
        self.m = 0.0
        self.m2 = 0.0

    def push(self, x):
        self.n += 1
        d = x - self.m
        self.m += d / self.n
        self.m2 += d * (x - self.m)

    def mean(self):
        return self.m if self.n else None

    def variance(self):
        return self.m2 / self.n if self.n >= 2 else None


class WelfordStatsZeroVarianceForOne(WelfordStatsPopulationVariance):
    """Returns 0.0 instead of None for a single value."""

    def variance(self):
        if self.n == 0:
            return None
        return self.m2 / (self.n - 1) if self.n > 1 else 0.0


def calibration_ece__unweighted_bins(probs, labels, n_bins):
    """Averages bin gaps without weighting by bin size."""
    if not probs:
        return 0.0
    bins = {}
    for p, y in zip(probs, labels, strict=True):
        bins.setdefault(min(int(p * n_bins), n_bins - 1), []).append((p, y))
    gaps = [abs(sum(p for p, _ in r) / len(r) - sum(y for _, y in r) / len(r)) for r in bins.values()]
    return sum(gaps) / len(gaps)


def calibration_ece__prob_one_own_bin(probs, labels, n_bins):
    """Puts p = 1.0 in an overflow bin of its own."""
    if not probs:
        return 0.0
    gap = [0.0] * (n_bins + 1)
    for p, y in zip(probs, labels, strict=True):
        gap[int(p * n_bins)] += p - y
    return sum(abs(g) for g in gap) / len(probs)


def calibration_ece__global_gap(probs, labels, n_bins):
    """Compares overall means: signs cancel across bins."""
    if not probs:
        return 0.0
    return abs(sum(probs) - sum(labels)) / len(probs)


def psi_drift__drops_out_of_range(baseline, current, edges, eps=1e-4):
    """Ignores values outside [edges[0], edges[-1]]."""
    return psi_drift([x for x in baseline if edges[0] <= x <= edges[-1]] or baseline,
                 [x for x in current if edges[0] <= x <= edges[-1]] or current, edges, eps)


def psi_drift__left_closed_edges_wrong(baseline, current, edges, eps=1e-4):
    """Treats every bin as half-open, so x == edges[-1] is clipped only by accident."""
    k = len(edges) - 1

    def shares(sample):
        counts = [0] * k
        for x in sample:
            counts[min(max(bisect_left(edges, x) - 1, 0), k - 1)] += 1
        return [max(c / len(sample), eps) for c in counts]
    return sum((c - b) * math.log(c / b) for b, c in zip(shares(baseline), shares(current), strict=True))


def psi_drift__eps_only_for_zero(baseline, current, edges, eps=1e-4):
    """Replaces only exact zeros, not shares below eps."""
    k = len(edges) - 1

    def shares(sample):
        counts = [0] * k
        for x in sample:
            counts[min(max(bisect_right(edges, x) - 1, 0), k - 1)] += 1
        return [c / len(sample) or eps for c in counts]
    return sum((c - b) * math.log(c / b) for b, c in zip(shares(baseline), shares(current), strict=True))


def mature_labels__keeps_immature_known_fraud(payments, as_of, window_days):
    """Keeps immature payments whose chargeback already arrived (biased)."""
    h = window_days * D
    rows = []
    for pid, paid, cb in payments:
        lab = int(cb is not None and cb - paid <= h)
        if paid + h <= as_of or (lab and cb <= as_of):
            rows.append((paid, pid, lab))
    return [[p, lab] for _, p, lab in sorted(rows)]


def mature_labels__strict_maturity(payments, as_of, window_days):
    h = window_days * D
    rows = [(paid, pid, int(cb is not None and cb - paid <= h))
            for pid, paid, cb in payments if paid + h < as_of]
    return [[p, lab] for _, p, lab in sorted(rows)]


def mature_labels__ignores_label_window(payments, as_of, window_days):
    h = window_days * D
    rows = [(paid, pid, int(cb is not None)) for pid, paid, cb in payments if paid + h <= as_of]
    return [[p, lab] for _, p, lab in sorted(rows)]


def roc_auc_ties__ties_count_zero(scores, labels):
    """Ignores ties (counts them as losses)."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = sorted(s for s, y in zip(scores, labels, strict=True) if not y)
    if not pos or not neg:
        return None
    return sum(bisect_left(neg, p) for p in pos) / (len(pos) * len(neg))


def roc_auc_ties__ordinal_ranks(scores, labels):
    """Rank-sum formula with ordinal ranks (ties broken by position)."""
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    if not n_pos or not n_neg:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    r = sum(k + 1 for k, i in enumerate(order) if labels[i])
    return (r - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def average_precision__per_row_thresholds(scores, labels):
    """Treats each row as its own threshold (ties broken by input order)."""
    n_pos = sum(labels)
    if not n_pos:
        return None
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    ap = hits = 0
    for k, i in enumerate(order, 1):
        if labels[i]:
            hits += 1
            ap += hits / k
    return ap / n_pos


def average_precision__trapezoid(scores, labels):
    """Trapezoidal area under the PR curve (interpolates between points)."""
    n_pos = sum(labels)
    if not n_pos:
        return None
    pts = []
    hits = seen = 0
    for _, g in groupby(sorted(zip(scores, labels, strict=True), reverse=True), key=lambda r: r[0]):
        ys = [y for _, y in g]
        hits += sum(ys)
        seen += len(ys)
        pts.append((hits / n_pos, hits / seen))
    area, pr, pp = 0.0, 0.0, 1.0
    for r, p in pts:
        area += (r - pr) * (p + pp) / 2
        pr, pp = r, p
    return area


def alert_budget_threshold__ties_at_bound_allowed(events, budget):
    """Allows ties at the day's bound (uses >= instead of >)."""
    days = {}
    for d, s, _ in events:
        days.setdefault(d, []).append(s)
    bound = max((sorted(v, reverse=True)[budget - 1] for v in days.values() if len(v) >= budget and budget),
                default=None)
    fit = [s for _, s, _ in events if bound is None or s >= bound]
    if not fit or budget == 0:
        return [None, None, 0]
    t = min(fit)
    fl = [y for _, s, y in events if s >= t]
    return [t, sum(fl) / len(fl), len(fl)]


def alert_budget_threshold__budget_over_all_days(events, budget):
    """Applies the budget to all days together instead of per day."""
    scores = sorted((s for _, s, _ in events), reverse=True)
    bound = scores[budget] if len(scores) > budget else None
    fit = [s for s in scores if bound is None or s > bound]
    if not fit:
        return [None, None, 0]
    t = min(fit)
    fl = [y for _, s, y in events if s >= t]
    return [t, sum(fl) / len(fl), len(fl)]


def purged_time_folds__no_purging_event_time(rows, cuts, gap, train_span=None):
    """Filters training on event_ts instead of label_ts (no purging)."""
    out = []
    for s, e in pairwise(cuts):
        c = s - gap
        tr = sorted(r for r, ev, _ in rows if ev < c and (train_span is None or ev >= c - train_span))
        va = sorted(r for r, ev, _ in rows if s <= ev < e)
        out.append([tr, va])
    return out


def purged_time_folds__gap_ignored(rows, cuts, gap, train_span=None):
    return purged_time_folds(rows, cuts, 0, train_span)


def purged_time_folds__span_from_validation_start(rows, cuts, gap, train_span=None):
    """Measures the sliding window back from the validation start, not from the cutoff."""
    out = []
    for s, e in pairwise(cuts):
        c = s - gap
        tr = sorted(r for r, ev, lab in rows if lab < c and (train_span is None or ev >= s - train_span))
        va = sorted(r for r, ev, _ in rows if s <= ev < e)
        out.append([tr, va])
    return out


def ewm_drift_alerts__update_before_check(values, alpha, z, warmup):
    """Updates the state with x before testing x (the value dilutes its own alert)."""
    if not values:
        return {"alerts": [], "mean": None, "var": None}
    m, v = values[0], 0.0
    al = []
    for i, x in enumerate(values[1:], 1):
        d = x - m
        m += alpha * d
        v = (1 - alpha) * (v + d * alpha * d)
        if i >= warmup and abs(x - m) > z * math.sqrt(v):
            al.append(i)
    return {"alerts": al, "mean": m, "var": v}


def ewm_drift_alerts__non_strict_compare(values, alpha, z, warmup):
    if not values:
        return {"alerts": [], "mean": None, "var": None}
    m, v = values[0], 0.0
    al = []
    for i, x in enumerate(values[1:], 1):
        d = x - m
        if i >= warmup and abs(d) >= z * math.sqrt(v):
            al.append(i)
        m += alpha * d
        v = (1 - alpha) * (v + d * alpha * d)
    return {"alerts": al, "mean": m, "var": v}


def ewm_drift_alerts__skip_flagged_updates(values, alpha, z, warmup):
    """Does not learn from flagged values."""
    if not values:
        return {"alerts": [], "mean": None, "var": None}
    m, v = values[0], 0.0
    al = []
    for i, x in enumerate(values[1:], 1):
        d = x - m
        if i >= warmup and abs(d) > z * math.sqrt(v):
            al.append(i)
            continue
        m += alpha * d
        v = (1 - alpha) * (v + d * alpha * d)
    return {"alerts": al, "mean": m, "var": v}


def cost_min_threshold__splits_tied_group(scores, labels, amounts, review_cost):
    """Updates the best after every row, splitting groups of equal scores."""
    rows = sorted(zip(scores, labels, amounts, strict=True), reverse=True)
    cost = best = sum(a for _, y, a in rows if y)
    bt = None
    for s, y, a in rows:
        cost += review_cost - y * a
        if cost < best:
            best, bt = cost, s
    return [bt, best]


def cost_min_threshold__ties_to_lower_threshold(scores, labels, amounts, review_cost):
    rows = sorted(zip(scores, labels, amounts, strict=True), reverse=True)
    cost = best = sum(a for _, y, a in rows if y)
    bt = None
    for s, g in groupby(rows, key=lambda r: r[0]):
        for _, y, a in g:
            cost += review_cost - y * a
        if cost <= best:
            best, bt = cost, s
    return [bt, best]


def cost_min_threshold__forgets_alert_nothing(scores, labels, amounts, review_cost):
    """Forgets the 'alert nothing' option."""
    rows = sorted(zip(scores, labels, amounts, strict=True), reverse=True)
    cost = sum(a for _, y, a in rows if y)
    best, bt = None, None
    for s, g in groupby(rows, key=lambda r: r[0]):
        for _, y, a in g:
            cost += review_cost - y * a
        if best is None or cost < best:
            best, bt = cost, s
    return [bt, best if best is not None else 0]


def stratified_reservoir__draw_per_item(stream, k, rand):
    """Consumes a random number for every item, even while filling."""
    res, cnt, it = {}, {}, iter(rand + [0.0] * len(stream))
    for tier, tx in stream:
        slots = res.setdefault(tier, [])
        n = cnt.get(tier, 0)
        cnt[tier] = n + 1
        r = next(it)
        if n < k:
            slots.append(tx)
        else:
            j = int(r * (n + 1))
            if j < k:
                slots[j] = tx
    return res


def stratified_reservoir__global_position(stream, k, rand):
    """Uses the global stream position instead of the per-tier count."""
    res, it = {}, iter(rand)
    for pos, (tier, tx) in enumerate(stream):
        slots = res.setdefault(tier, [])
        if len(slots) < k:
            slots.append(tx)
        else:
            j = int(next(it) * (pos + 1))
            if j < k:
                slots[j] = tx
    return res


def stratified_reservoir__r_times_n(stream, k, rand):
    """Uses floor(r * n) instead of floor(r * (n + 1))."""
    res, cnt, it = {}, {}, iter(rand)
    for tier, tx in stream:
        slots = res.setdefault(tier, [])
        n = cnt.get(tier, 0)
        cnt[tier] = n + 1
        if n < k:
            slots.append(tx)
        else:
            j = int(next(it) * n)
            if j < k:
                slots[j] = tx
    return res


def oof_target_encoding__full_data_leaky(categories, labels, folds, smoothing, test_categories):
    """Uses full-data statistics for the training rows too (own label leaks)."""
    n = len(labels)
    if not n:
        return [[], [None] * len(test_categories)]
    prior = sum(labels) / n
    cnt, pos = {}, {}
    for c, y in zip(categories, labels, strict=True):
        cnt[c] = cnt.get(c, 0) + 1
        pos[c] = pos.get(c, 0) + y

    def e(c):
        return (pos.get(c, 0) + smoothing * prior) / (cnt.get(c, 0) + smoothing)
    return [[e(c) for c in categories], [e(c) for c in test_categories]]


def oof_target_encoding__prior_not_out_of_fold(categories, labels, folds, smoothing, test_categories):
    """Out-of-fold category stats but the full-data prior."""
    n = len(labels)
    prior = sum(labels) / n if n else None
    nf, cnt, pos, cc, cp = Counter(folds), Counter(categories), Counter(), Counter(zip(folds, categories, strict=True)), Counter()
    for c, y, f in zip(categories, labels, folds, strict=True):
        pos[c] += y
        cp[f, c] += y
    train = [None if n == nf[f] else
             (pos[c] - cp[f, c] + smoothing * prior) / (cnt[c] - cc[f, c] + smoothing)
             for c, f in zip(categories, folds, strict=True)]
    test = [None if not n else (pos[c] + smoothing * prior) / (cnt[c] + smoothing) for c in test_categories]
    return [train, test]


def oof_target_encoding__leave_one_out(categories, labels, folds, smoothing, test_categories):
    """Leaves out only the row itself instead of its fold."""
    n = len(labels)
    cnt, pos = Counter(categories), Counter()
    for c, y in zip(categories, labels, strict=True):
        pos[c] += y
    tot = sum(labels)
    train = []
    for c, y in zip(categories, labels, strict=True):
        if n == 1:
            train.append(None)
            continue
        prior = (tot - y) / (n - 1)
        train.append((pos[c] - y + smoothing * prior) / (cnt[c] - 1 + smoothing))
    test = [None if not n else (pos[c] + smoothing * tot / n) / (cnt[c] + smoothing) for c in test_categories]
    return [train, test]


def rolling_account_features__same_timestamp_leaks(events, window):
    """Admits events at the same timestamp (leaks the present)."""
    out = []
    for i, (a, t, _) in enumerate(events):
        w = [y for j, (b, s, y) in enumerate(events) if j != i and b == a and t - window <= s <= t]
        out.append([len(w), sum(w), max(w) if w else None])
    return out


def rolling_account_features__left_edge_exclusive(events, window):
    out = []
    for a, t, _ in events:
        w = [y for b, s, y in events if b == a and t - window < s < t]
        out.append([len(w), sum(w), max(w) if w else None])
    return out


def rolling_account_features__max_never_expires(events, window):
    """Keeps a running max per account that never expires."""
    rows = sorted(range(len(events)), key=lambda i: events[i][1])
    out = [None] * len(events)
    for i in rows:
        a, t, _ = events[i]
        w = [y for b, s, y in events if b == a and t - window <= s < t]
        m = [y for b, s, y in events if b == a and s < t]
        out[i] = [len(w), sum(w), max(m) if w else None]
    return out


def decayed_counterparty_score__repeats_add_up(transfers, window, half_life):
    """Sums every transfer instead of each distinct counterparty once."""
    out = []
    for a, _, t in transfers:
        out.append(sum(0.5 ** ((t - s) / half_life) for b, _, s in transfers if b == a and t - window < s <= t))
    return out


def decayed_counterparty_score__decay_from_first_contact(transfers, window, half_life):
    """Decays from the earliest contact in the window instead of the latest."""
    out = []
    for a, _, t in transfers:
        first = {}
        for b, c, s in transfers:
            if b == a and t - window < s <= t:
                first[c] = min(first.get(c, s), s)
        out.append(sum(0.5 ** ((t - s) / half_life) for s in first.values()))
    return out


def decayed_counterparty_score__misses_later_same_time(transfers, window, half_life):
    """Streams in sorted order but scores each transfer before later same-time ones arrive."""
    order = sorted(range(len(transfers)), key=lambda i: transfers[i][2])
    out = [0.0] * len(transfers)
    seen = {}
    for i in order:
        a, c, t = transfers[i]
        seen.setdefault(a, []).append((c, t))
        last = {}
        for cc, s in seen[a]:
            if t - window < s <= t:
                last[cc] = s
        out[i] = sum(0.5 ** ((t - s) / half_life) for s in last.values())
    return out


class ReorgEventLedgerIgnoresFinality(ReorgEventLedger):
    def upsert(self, chain, tx, li, block, amount):
        e = self._find(chain, tx, li)
        if e is None:
            self.ev.append([chain, tx, li, block, amount])
            return "inserted"
        if e[3] == block and e[4] == amount:
            return "unchanged"
        e[3], e[4] = block, amount
        return "updated"


class ReorgEventLedgerRejectsFinalizedReplays(ReorgEventLedger):
    def upsert(self, chain, tx, li, block, amount):
        e = self._find(chain, tx, li)
        if e is not None and chain in self.fin and e[3] <= self.fin[chain]:
            return "rejected"
        return super().upsert(chain, tx, li, block, amount)


class ReorgEventLedgerReorgExclusiveBoundary(ReorgEventLedger):
    def reorg(self, chain, from_block):
        return super().reorg(chain, from_block + 1) if not (chain in self.fin and from_block <= self.fin[chain]) else None


class ReorgEventLedgerFinalityMovesBack(ReorgEventLedger):
    def finalize(self, chain, block):
        self.fin[chain] = block  # moves back on a lower call


WRONG = {
    "welford-stats": [WelfordStatsNaiveSumOfSquares, WelfordStatsPopulationVariance, WelfordStatsZeroVarianceForOne],
    "calibration-ece": [calibration_ece__unweighted_bins, calibration_ece__prob_one_own_bin, calibration_ece__global_gap],
    "psi-drift": [psi_drift__drops_out_of_range, psi_drift__left_closed_edges_wrong, psi_drift__eps_only_for_zero],
    "mature-labels": [mature_labels__keeps_immature_known_fraud, mature_labels__strict_maturity, mature_labels__ignores_label_window],
    "roc-auc-ties": [roc_auc_ties__ties_count_zero, roc_auc_ties__ordinal_ranks],
    "average-precision": [average_precision__per_row_thresholds, average_precision__trapezoid],
    "alert-budget-threshold": [alert_budget_threshold__ties_at_bound_allowed, alert_budget_threshold__budget_over_all_days],
    "purged-time-folds": [purged_time_folds__no_purging_event_time, purged_time_folds__gap_ignored, purged_time_folds__span_from_validation_start],
    "ewm-drift-alerts": [ewm_drift_alerts__update_before_check, ewm_drift_alerts__non_strict_compare, ewm_drift_alerts__skip_flagged_updates],
    "cost-min-threshold": [cost_min_threshold__splits_tied_group, cost_min_threshold__ties_to_lower_threshold, cost_min_threshold__forgets_alert_nothing],
    "stratified-reservoir": [stratified_reservoir__draw_per_item, stratified_reservoir__global_position, stratified_reservoir__r_times_n],
    "oof-target-encoding": [oof_target_encoding__full_data_leaky, oof_target_encoding__prior_not_out_of_fold, oof_target_encoding__leave_one_out],
    "rolling-account-features": [rolling_account_features__same_timestamp_leaks, rolling_account_features__left_edge_exclusive, rolling_account_features__max_never_expires],
    "decayed-counterparty-score": [decayed_counterparty_score__repeats_add_up, decayed_counterparty_score__decay_from_first_contact, decayed_counterparty_score__misses_later_same_time],
    "reorg-event-ledger": [ReorgEventLedgerIgnoresFinality, ReorgEventLedgerRejectsFinalizedReplays, ReorgEventLedgerReorgExclusiveBoundary, ReorgEventLedgerFinalityMovesBack],
}


@pytest.mark.parametrize(("qid", "wrong"), [(qid, w) for qid, ws in WRONG.items() for w in ws],
                         ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_hidden_tests_reject_a_plausible_wrong_answer(qid, wrong):
    q = QUESTIONS[qid]
    for case in q.tests:
        try:
            got = run(wrong, q, case)
        except Exception:  # a crash on a hidden case counts as caught
            return
        if not same(got, case.expected, q):
            return
    pytest.fail(f"{qid}: {wrong.__name__} passes every hidden test")
