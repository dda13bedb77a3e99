"""Write the examples and hidden tests of questions/coding-numpy.yaml, and its large cases.

    .venv/bin/python tools/gen_numpy_cases.py          # rewrite the cases
    .venv/bin/python tools/gen_numpy_cases.py --check  # fail if the files would change

(--check is byte-exact, so it is for the author's machine: another numpy version can move
the last digits of an expected value, and numpy does not promise the same random streams
across versions. tests/test_coding_numpy_pack.py checks the committed cases semantically,
through tools/check_numpy_pack.py.)

Inputs are defined below (hand-picked edge cases, and seeded random data rounded to a few
decimals so that the YAML stays readable). Every expected value is computed by the
reference solution in solutions/coding/<id>.py on the arrays the judge will build (see
tools/numpy_pack_kit.py), and the same case is run through the independent
implementation in tests/fixtures/independent/coding-numpy/<id>.py: any disagreement
beyond the question's tolerance stops the script. Deterministic: the same numpy gives
byte-identical files.

Not part of the drill package (the wheel ships questions/ and solutions/ only).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy_pack_kit as kit

ROOT = kit.ROOT
PACK = kit.PACK
SOLUTIONS = ROOT / "solutions" / "coding"
INDEPENDENT = ROOT / "tests" / "fixtures" / "independent" / "coding-numpy"
LARGE_DIR = PACK.parent / "coding-numpy"

NAN = float("nan")
INF = float("inf")


def A(a):
    """An array argument as nested lists (NaN -> null, as the pack format writes it)."""
    a = np.asarray(a)
    if a.dtype.kind == "f":
        a = a + 0.0  # -0.0 (from rounding) prints as 0.0
    if a.ndim > 1 and a.size == 0:
        return {"shape": list(a.shape), "data": []}
    return _nan_to_null(a.tolist())


def _nan_to_null(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, list):
        return [_nan_to_null(x) for x in v]
    return v


def C(name, *args):
    return {"name": name, "args": list(args)}


def rng(seed):
    return np.random.default_rng(seed)


# ====================================================================== 1 logreg-gd-l2


def cases_logreg():
    r = rng(101)
    sep = r.normal(size=(12, 3)).round(2)
    y_sep = (sep[:, 0] - sep[:, 1] > 0).astype(int)
    wide = r.normal(size=(3, 5)).round(2)
    big = (r.normal(size=(6, 2)) * 300).round(1)
    mid = r.normal(size=(40, 4)).round(2)
    y_mid = (r.random(40) < 1 / (1 + np.exp(-(mid @ [1.5, -2.0, 0.5, 0.0] + 0.3)))).astype(int)
    ex = [
        C("two-features-three-steps", A([[1.0, 2.0], [-1.0, 0.5], [0.5, -1.5], [2.0, 1.0]]),
          A([1, 0, 0, 1]), 0.5, 0.1, 3),
        C("no-steps-is-zero", A([[0.3, -0.2], [1.1, 0.4]]), A([1, 0]), 0.1, 0.5, 0),
        C("one-feature", A([[-2.0], [-1.0], [1.0], [3.0]]), A([0, 0, 1, 1]), 0.2, 0.0, 10),
    ]
    tests = [
        C("one-row", A([[2.0, -1.0, 0.5]]), A([1]), 0.1, 0.0, 5),
        C("one-step-by-hand", A([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), A([1, 0, 0]), 1.0, 0.3, 1),
        C("all-fraud-bias-unpenalised", A([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8]]), A([1, 1, 1]),
          0.5, 0.8, 40),
        C("all-legit", A([[1.0, 1.0], [2.0, -1.0], [0.0, 3.0], [-1.0, -1.0]]), A([0, 0, 0, 0]),
          0.3, 0.2, 25),
        C("strong-penalty", A(sep), A(y_sep), 0.4, 5.0, 30),
        C("no-penalty-separable", A(sep), A(y_sep), 0.5, 0.0, 60),
        C("more-features-than-rows", A(wide), A([1, 0, 1]), 0.3, 0.05, 20),
        C("large-features-no-nan", A(big), A([1, 0, 1, 1, 0, 0]), 0.01, 0.01, 25),
        C("tiny-learning-rate", A(mid[:10]), A(y_mid[:10]), 1e-4, 0.1, 7),
        C("forty-rows-four-features", A(mid), A(y_mid), 0.2, 0.01, 120),
        C("duplicated-rows-mixed-labels", A([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [-1.0, 0.0]]),
          A([1, 0, 1, 0]), 0.7, 0.1, 15),
        C("zero-feature-column", A([[0.0, 1.0], [0.0, -2.0], [0.0, 0.5], [0.0, 1.5]]),
          A([1, 0, 0, 1]), 0.25, 0.4, 12),
        C("integer-valued-features", A([[3, 0, 1], [0, 2, 2], [1, 1, 0], [4, 4, 4], [2, 0, 3]]),
          A([1, 0, 0, 1, 0]), 0.05, 0.02, 50),
    ]
    big_r = rng(102)
    Xl = big_r.normal(size=(2000, 8)).round(3)
    true_w = np.array([1.2, -0.8, 0.0, 0.5, 0.0, -1.5, 0.3, 0.9])
    yl = (big_r.random(2000) < 1 / (1 + np.exp(-(Xl @ true_w - 1.0)))).astype(int)
    large = [C("two-thousand-withdrawals", A(Xl), A(yl), 0.5, 0.01, 300)]
    return ex, tests, large


# ====================================================================== 2 softmax-xent-grad


def cases_softmax():
    r = rng(201)
    m1 = r.normal(size=(4, 3)).round(2)
    m2 = (r.normal(size=(3, 5)) * 3).round(2)
    m3 = r.normal(size=(6, 2)).round(2)
    m4 = (r.normal(size=(30, 4)) * 2).round(2)
    ex = [
        C("two-alerts-three-queues", A([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]), A([0, 2])),
        C("uniform-logits", A([[1.0, 1.0, 1.0, 1.0]]), A([3])),
        C("confident-and-right", A([[8.0, -2.0], [-3.0, 5.0], [0.0, 0.0]]), A([0, 1, 1])),
    ]
    tests = [
        C("single-queue", A([[3.7]]), A([0])),
        C("one-alert", A([[0.2, -1.3, 2.4, 0.0]]), A([1])),
        C("four-by-three", A(m1), A([2, 0, 0, 1])),
        C("three-by-five", A(m2), A([4, 4, 1])),
        C("six-by-two", A(m3), A([0, 1, 1, 0, 1, 1])),
        C("square-batch", A([[1.0, 2.0, 3.0], [3.0, 1.0, 2.0], [0.5, 0.5, -4.0]]), A([2, 2, 0])),
        C("huge-positive-logits", A([[10000.0, 9998.0, 9990.0], [5000.0, 5000.0, -5000.0]]),
          A([1, 0])),
        C("huge-negative-logits", A([[-10000.0, -10001.0], [-9999.5, -10000.0]]), A([1, 1])),
        C("label-far-below-max", A([[0.0, 1000.0, 2.0], [1.0, 2.0, 3.0]]), A([0, 2])),
        C("closed-queue-minus-inf", A([[1.0, -INF, 0.5], [-INF, 2.0, 2.0]]), A([2, 1])),
        C("all-same-class", A([[0.1, 0.9, -0.4], [1.5, 1.4, 1.3], [-2.0, 0.0, 2.0]]),
          A([1, 1, 1])),
        C("thirty-alerts", A(m4), A(r.integers(0, 4, size=30))),
        C("tiny-differences", A([[1e-8, 0.0, -1e-8], [0.0, 0.0, 1e-12]]), A([0, 2])),
    ]
    return ex, tests, []


# ====================================================================== 3 stable-logsumexp


def cases_logsumexp():
    r = rng(301)
    t3 = r.normal(size=(2, 3, 4)).round(2)
    m = (r.normal(size=(3, 5)) * 4).round(2)
    ex = [
        C("rows", A([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), 1, False),
        C("columns-keepdims", A([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), 0, True),
        C("would-overflow-and-underflow", A([[1000.0, 1000.0], [-1000.0, -1000.0]]), -1, False),
    ]
    tests = [
        C("three-by-five-rows", A(m), 1, False),
        C("three-by-five-columns", A(m), 0, False),
        C("negative-axis-first", A(m), -2, True),
        C("rows-keepdims", A(m), -1, True),
        C("3d-last-axis", A(t3), -1, False),
        C("3d-middle-axis-keepdims", A(t3), 1, True),
        C("3d-first-axis", A(t3), 0, False),
        C("3d-axis-minus-two", A(t3), -2, False),
        C("all-minus-inf-slice", A([[-INF, -INF, -INF], [0.0, -INF, 1.0]]), 1, False),
        C("plus-inf-slice", A([[INF, 1.0, -INF], [2.0, 3.0, 4.0]]), 1, True),
        C("nan-slice", A([[NAN, 1.0], [2.0, INF], [-INF, NAN]]), 1, False),
        C("huge-values", A([[1e308, 1e308, 0.0], [-1e308, -1e308, -1e308]]), 1, False),
        C("mixed-scales", A([[-745.0, -746.0, -800.0], [700.0, 710.0, -700.0]]), 1, False),
        C("length-one-axis", A([[3.5], [-2.0], [7.25]]), 1, False),
        C("one-row-keeps-its-axis", A([[0.5, -1.5, 2.0, 0.0]]), -1, False),
        C("3d-other-axis-of-length-one", A(t3[:, :1, :]), 2, False),
        C("empty-reduced-axis", A(np.zeros((2, 0))), 1, False),
        C("empty-other-axis", A(np.zeros((0, 3))), 0, True),
        C("empty-kept-axis", A(np.zeros((2, 0))), 0, False),
    ]
    return ex, tests, []


# ====================================================================== 4 kmeans-fixed-init


def cases_kmeans():
    r = rng(401)
    blobs = np.vstack([r.normal([0, 0, 0], 0.6, size=(14, 3)), r.normal([4, 1, -2], 0.8, size=(13, 3)),
                       r.normal([1, 5, 2], 0.7, size=(13, 3))]).round(2)
    init3 = blobs[[0, 1, 2, 3]]
    line = r.normal(size=(9, 1)).round(2) * 5
    offset = (1e6 + r.normal(size=(8, 2)) * 10).round(2)
    ex = [
        C("two-groups", A([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [9.0, 9.0], [9.0, 8.0], [8.0, 9.0]]),
          A([[0.0, 0.0], [1.0, 1.0]]), 5),
        C("zero-iterations", A([[0.0, 0.0], [4.0, 4.0], [1.0, 1.0]]), A([[1.0, 0.0], [3.0, 3.0]]), 0),
        C("far-centroid-stays-empty", A([[1.0, 1.0], [2.0, 1.0], [1.0, 2.0]]),
          A([[0.0, 0.0], [100.0, 100.0]]), 3),
    ]
    tests = [
        C("no-accounts", A(np.zeros((0, 2))), A([[1.0, 2.0], [3.0, 4.0]]), 4),
        C("one-account", A([[2.5, -1.0, 0.0]]), A([[0.0, 0.0, 0.0], [5.0, 5.0, 5.0]]), 2),
        C("tie-goes-to-lower-index", A([[0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [1.0, 5.0]]),
          A([[0.0, 0.0], [2.0, 0.0]]), 1),
        C("tie-at-the-end", A([[0.0], [4.0], [2.0]]), A([[0.0], [4.0]]), 3),
        C("duplicate-initial-centroids", A([[0.0, 1.0], [1.0, 0.0], [5.0, 5.0], [6.0, 5.0]]),
          A([[1.0, 1.0], [1.0, 1.0], [5.0, 5.0]]), 4),
        C("single-cluster-is-the-mean", A(blobs[:7]), A([[10.0, 10.0, 10.0]]), 3),
        C("one-iteration-only", A(blobs), A(init3), 1),
        C("two-iterations", A(blobs), A(init3), 2),
        C("converges", A(blobs), A(init3), 30),
        C("one-feature", A(line), A([[-1.0], [0.0], [1.0]]), 6),
        C("more-centroids-than-rows", A([[1.0, 1.0], [3.0, 3.0]]),
          A([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0]]), 2),
        C("large-offsets", A(offset), A(offset[[0, 5]]), 8),
        C("centroid-loses-its-rows", A([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 0.0], [12.0, 0.0]]),
          A([[5.0, 0.0], [20.0, 0.0], [0.0, 0.0]]), 4),
    ]
    lr = rng(402)
    centres = lr.normal(size=(8, 4)) * 5
    Xl = (centres[lr.integers(0, 8, size=6000)] + lr.normal(size=(6000, 4))).round(3)
    large = [C("six-thousand-accounts", A(Xl), A(Xl[:8]), 25)]
    return ex, tests, large


# ====================================================================== 5 pca-svd-signs


def _pca_data(r, n, scales, mix_seed):
    m = rng(mix_seed).normal(size=(len(scales), len(scales)))
    q, _ = np.linalg.qr(m)
    return (r.normal(size=(n, len(scales))) * scales) @ q.T


def cases_pca():
    r = rng(501)
    d3 = _pca_data(r, 12, [5.0, 2.0, 0.5], 5011).round(3)
    d4 = (_pca_data(r, 9, [4.0, 2.5, 1.0, 0.3], 5012) + np.array([100, -50, 7, 0])).round(3)
    d5 = _pca_data(r, 30, [6.0, 3.0, 2.0, 1.0, 0.4], 5013).round(3)
    wide = r.normal(size=(4, 6)).round(2)
    offset = (1e6 + _pca_data(r, 10, [3.0, 1.0, 0.2], 5014)).round(4)
    const_col = np.column_stack([d3[:, 0], np.full(12, 7.5), d3[:, 1]])
    scales = d3 * [1000.0, 1.0, 0.01]
    ex = [
        C("two-features-one-axis", A([[2.0, 1.0], [0.0, 0.0], [-2.0, -1.0], [1.0, 0.0], [-1.0, 0.0]]), 1),
        C("three-features-two-axes", A(d3), 2),
        C("all-axes", A(d3), 3),
    ]
    tests = [
        C("two-rows", A([[1.0, 3.0, -2.0], [2.0, 1.0, 0.5]]), 1),
        C("offset-columns", A(d4), 2),
        C("four-axes-of-four", A(d4), 4),
        C("five-features-one-axis", A(d5), 1),
        C("five-features-three-axes", A(d5), 3),
        C("fewer-rows-than-features", A(wide), 3),
        C("large-offset", A(offset), 2),
        C("constant-column", A(const_col), 2),
        C("very-different-scales", A(scales), 3),
        C("negative-leading-entries", A(-d5), 2),
        C("single-feature", A([[1.0], [4.0], [-2.0], [0.5]]), 1),
        C("integer-grid", A([[0, 0], [2, 1], [4, 2], [6, 3], [8, 5]]), 2),
    ]
    lr_ = rng(502)
    Xl = _pca_data(lr_, 8000, [9.0, 5.0, 3.0, 2.0, 1.0, 0.5], 5021).round(3)
    large = [C("eight-thousand-rows", A(Xl), 4)]
    for c in ex + tests + large:
        _pca_unique(c)
    return ex, tests, large


def _pca_unique(case):
    """The prompt promises a unique answer: well-separated singular values, one clear
    largest entry per axis. Fail loudly on a case that breaks the promise."""
    X, k = np.asarray(case["args"][0], dtype=float), case["args"][1]
    _, s, vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
    s = np.append(s, 0.0)
    for j in range(k):
        gap = min(s[j - 1] - s[j] if j else np.inf, s[j] - s[j + 1])
        assert gap > 1e-6 * s[0], (case["name"], "singular values too close", s)
        top = np.sort(np.abs(vt[j]))[::-1]
        assert top.size == 1 or top[0] - top[1] > 1e-3, (case["name"], "tied largest entry", vt[j])


# ====================================================================== 6 causal-attention


def cases_attention():
    r = rng(601)

    def n(*shape, s=1.0):
        return (r.normal(size=shape) * s).round(2)

    ex = [
        C("two-steps", A([[1.0], [1.0]]), A([[0.0], [1.0]]), A([[10.0], [20.0]])),
        C("three-steps", A([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), A([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
          A([[1.0], [2.0], [3.0]])),
        C("batch-of-two", A(n(2, 3, 2)), A(n(2, 3, 2)), A(n(2, 3, 3))),
    ]
    q4, k4, v4 = n(4, 3), n(4, 3), n(4, 2)
    future = v4.copy()
    future[2:] = 1e6
    tests = [
        C("one-step", A([[0.3, -0.7, 1.1]]), A([[2.0, 0.5, -1.0]]), A([[4.0, -5.0]])),
        C("four-steps-dk3-dv2", A(q4), A(k4), A(v4)),
        C("future-values-never-leak", A(q4[:2].tolist() + [[0.0, 0.0, 0.0]] * 2), A(k4), A(future)),
        C("seven-steps", A(n(7, 5)), A(n(7, 5)), A(n(7, 3))),
        C("d-k-one", A(n(5, 1)), A(n(5, 1)), A(n(5, 4))),
        C("d-k-nine", A(n(3, 9)), A(n(3, 9)), A(n(3, 2))),
        C("batch-of-three", A(n(3, 4, 2)), A(n(3, 4, 2)), A(n(3, 4, 5))),
        C("batch-of-one", A(n(1, 5, 4)), A(n(1, 5, 4)), A(n(1, 5, 1))),
        C("batch-longer-than-wide", A(n(2, 6, 3)), A(n(2, 6, 3)), A(n(2, 6, 2))),
        C("huge-scores", A([[100.0, 0.0], [100.0, 100.0], [-100.0, 50.0]]),
          A([[100.0, 0.0], [100.0, 100.0], [-100.0, 50.0]]), A([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])),
        C("equal-keys-prefix-means", A(n(4, 2)), A([[1.0, 1.0]] * 4), A([[1.0], [2.0], [6.0], [3.0]])),
        C("zero-queries-prefix-means", A(np.zeros((5, 3))), A(n(5, 3)), A(n(5, 2))),
        C("square-t-equals-d", A(n(3, 3)), A(n(3, 3)), A(n(3, 3))),
    ]
    return ex, tests, []


# ====================================================================== 7 layer-norm-forward


def cases_layernorm():
    r = rng(701)

    def n(*shape, s=1.0):
        return (r.normal(size=shape) * s).round(3)

    ex = [
        C("two-vectors", A([[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 2.0, 6.0]]), A([1.0, 1.0, 1.0, 1.0]),
          A([0.0, 0.0, 0.0, 0.0]), 1e-5),
        C("constant-vector-gives-beta", A([[5.0, 5.0, 5.0]]), A([2.0, 3.0, 4.0]), A([0.5, -0.5, 1.0]), 1e-5),
        C("batch-of-sequences", A(n(2, 3, 4)), A([1.0, 0.5, 2.0, -1.0]), A([0.0, 0.1, 0.2, 0.3]), 1e-5),
    ]
    off = 1e9 + np.array([[1.0, 2.0, 3.0, 6.0], [-4.0, 0.0, 4.0, 8.0]])
    tests = [
        C("one-feature", A([[3.0], [-7.0]]), A([4.0]), A([0.25]), 1e-5),
        C("one-row", A([[0.5, -1.5, 2.5]]), A([1.0, 2.0, 3.0]), A([0.0, 0.0, 1.0]), 1e-5),
        C("three-by-five", A(n(3, 5)), A(n(5)), A(n(5)), 1e-5),
        C("five-by-two", A(n(5, 2)), A([1.5, -0.5]), A([0.2, 0.4]), 1e-5),
        C("large-offset", A(off), A([1.0, 1.0, 1.0, 1.0]), A([0.0, 0.0, 0.0, 0.0]), 1e-5),
        C("large-eps", A([[0.0, 0.1], [1.0, 1.2]]), A([1.0, 1.0]), A([0.0, 0.0]), 0.1),
        C("tiny-eps-tiny-variance", A([[1.0, 1.0 + 1e-6, 1.0 - 1e-6]]), A([1.0, 1.0, 1.0]),
          A([0.0, 0.0, 0.0]), 1e-12),
        C("zero-gamma", A(n(2, 3)), A([0.0, 0.0, 0.0]), A([1.0, 2.0, 3.0]), 1e-5),
        C("3d-two-by-four-by-three", A(n(2, 4, 3)), A(n(3)), A(n(3)), 1e-5),
        C("3d-batch-of-one", A(n(1, 2, 6)), A(np.ones(6)), A(np.zeros(6)), 1e-3),
        C("square", A(n(4, 4, s=10)), A(n(4)), A(n(4)), 1e-5),
        C("negative-values", A([[-10.0, -20.0, -30.0], [-1.0, -1.0, -4.0]]), A([1.0, -1.0, 2.0]),
          A([0.0, 1.0, 0.0]), 1e-5),
    ]
    return ex, tests, []


# ====================================================================== 8 batch-norm-modes


def cases_batchnorm():
    r = rng(801)

    def n(*shape, s=1.0):
        return (r.normal(size=shape) * s).round(3)

    ex = [
        C("training-step", A([[1.0, 2.0], [3.0, 6.0], [5.0, 4.0], [7.0, 0.0]]), A([1.0, 1.0]), A([0.0, 0.0]),
          A([0.0, 0.0]), A([1.0, 1.0]), 0.1, 1e-5, True),
        C("evaluation-uses-running-stats", A([[1.0, 2.0], [3.0, 6.0]]), A([1.0, 2.0]), A([0.5, 0.0]),
          A([2.0, 3.0]), A([4.0, 9.0]), 0.1, 1e-5, False),
        C("constant-feature-gives-beta", A([[2.0, 1.0], [2.0, 5.0], [2.0, 3.0]]), A([3.0, 1.0]),
          A([-1.0, 0.0]), A([0.0, 0.0]), A([1.0, 1.0]), 0.2, 1e-5, True),
    ]
    x36 = n(3, 6, s=2)
    x62 = n(6, 2, s=3)
    off = 1e6 + n(5, 3)
    tests = [
        C("two-rows-training", A([[1.0, -1.0, 0.5], [3.0, 1.0, 0.5]]), A([1.0, 1.0, 1.0]),
          A([0.0, 0.0, 0.0]), A([0.5, 0.5, 0.5]), A([2.0, 2.0, 2.0]), 0.3, 1e-5, True),
        C("three-rows-six-features", A(x36), A(n(6)), A(n(6)), A(n(6)), A(np.abs(n(6)) + 0.5), 0.1, 1e-5, True),
        C("six-rows-two-features", A(x62), A([2.0, 0.5]), A([1.0, -1.0]), A([0.1, -0.2]), A([1.5, 0.7]),
          0.25, 1e-5, True),
        C("momentum-zero-keeps-running", A(x62), A([1.0, 1.0]), A([0.0, 0.0]), A([3.0, 4.0]), A([5.0, 6.0]),
          0.0, 1e-5, True),
        C("momentum-one-takes-batch", A(x36), A(np.ones(6)), A(np.zeros(6)), A(np.zeros(6)), A(np.ones(6)),
          1.0, 1e-5, True),
        C("large-offset-training", A(off), A([1.0, 2.0, 3.0]), A([0.0, 0.0, 0.0]), A([1e6, 1e6, 1e6]),
          A([1.0, 1.0, 1.0]), 0.1, 1e-5, True),
        C("large-eps-training", A([[0.0, 0.2], [0.1, 0.0], [0.2, 0.1]]), A([1.0, 1.0]), A([0.0, 0.0]),
          A([0.0, 0.0]), A([1.0, 1.0]), 0.1, 0.5, True),
        C("evaluation-one-row", A([[10.0, -3.0, 0.0]]), A([0.5, 1.0, 2.0]), A([0.0, 1.0, -1.0]),
          A([8.0, -1.0, 0.5]), A([4.0, 1.0, 0.25]), 0.1, 1e-5, False),
        C("evaluation-six-by-two", A(x62), A([2.0, 0.5]), A([1.0, -1.0]), A([0.1, -0.2]), A([1.5, 0.7]),
          0.25, 1e-5, False),
        C("evaluation-eps-matters", A([[1.0], [2.0]]), A([1.0]), A([0.0]), A([1.0]), A([0.01]), 0.1, 0.01, False),
        C("training-ignores-running-for-output", A([[1.0, 4.0], [2.0, 8.0], [6.0, 0.0]]), A([1.0, 1.0]),
          A([0.0, 0.0]), A([100.0, -100.0]), A([50.0, 0.001]), 0.5, 1e-5, True),
        C("four-rows-gamma-beta", A(n(4, 3, s=5)), A([-1.0, 2.0, 0.5]), A([3.0, 0.0, -2.0]),
          A([0.5, 0.5, 0.5]), A([2.0, 3.0, 4.0]), 0.9, 1e-3, True),
        C("constant-feature-running-var-decays", A([[4.0, 1.0], [4.0, 2.0], [4.0, 6.0], [4.0, 3.0]]),
          A([2.0, 1.0]), A([0.5, 0.0]), A([1.0, 1.0]), A([2.0, 2.0]), 0.25, 1e-5, True),
    ]
    return ex, tests, []


# ====================================================================== 9 mlp-backprop-step


def cases_mlp():
    r = rng(901)

    def n(*shape, s=1.0):
        return (r.normal(size=shape) * s).round(2)

    ex = [
        C("two-rows", A([[1.0, 2.0], [-1.0, 0.5]]), A([1.0, 0.0]), A([[0.5, -0.3], [0.2, 0.4]]),
          A([0.0, 0.1]), A([[1.0], [-0.5]]), A([0.2])),
        C("one-row", A([[0.5, -1.0, 2.0]]), A([0.0]), A([[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]]),
          A([0.0, 0.0]), A([[0.7], [-0.8]]), A([0.0])),
        C("dead-relus", A([[1.0, 1.0], [2.0, 0.5], [0.0, 1.0]]), A([1.0, 0.0, 1.0]),
          A([[-1.0, -2.0], [-1.0, -0.5]]), A([-0.5, -0.1]), A([[1.0], [2.0]]), A([0.3])),
    ]
    tests = [
        C("relu-exactly-zero", A([[1.0, 1.0], [2.0, -1.0], [0.0, 3.0]]), A([1.0, 0.0, 0.0]),
          A([[1.0, -1.0, 2.0], [-1.0, 1.0, 1.0]]), A([0.0, 0.0, -2.0]), A([[0.5], [-1.0], [2.0]]), A([0.0])),
        C("large-logits", A([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), A([0.0, 1.0, 1.0]),
          A([[100.0, 0.0], [0.0, 100.0]]), A([0.0, 0.0]), A([[10.0], [-10.0]]), A([0.0])),
        C("all-fraud", A(n(4, 3)), A([1.0, 1.0, 1.0, 1.0]), A(n(3, 5)), A(n(5)), A(n(5, 1)), A(n(1))),
        C("all-legit", A(n(4, 3)), A([0.0, 0.0, 0.0, 0.0]), A(n(3, 5)), A(n(5)), A(n(5, 1)), A(n(1))),
        C("one-hidden-unit", A(n(5, 2)), A([1.0, 0.0, 1.0, 1.0, 0.0]), A([[0.8], [-0.6]]), A([0.3]),
          A([[1.5]]), A([-0.2])),
        C("one-feature", A([[-2.0], [-1.0], [0.5], [3.0]]), A([0.0, 0.0, 1.0, 1.0]), A([[1.0, -1.0, 0.5]]),
          A([0.5, 0.5, 0.0]), A([[1.0], [-1.0], [2.0]]), A([0.0])),
        C("six-by-four-hidden-three", A(n(6, 4)), A([1.0, 0.0, 0.0, 1.0, 1.0, 0.0]), A(n(4, 3)), A(n(3)),
          A(n(3, 1)), A(n(1))),
        C("square-everything", A(n(3, 3)), A([0.0, 1.0, 0.0]), A(n(3, 3)), A(n(3)), A(n(3, 1)), A(n(1))),
        C("twenty-rows", A(n(20, 3)), A((r.random(20) < 0.3).astype(float)), A(n(3, 4)), A(n(4)),
          A(n(4, 1)), A(n(1))),
        C("wide-hidden-layer", A(n(2, 2)), A([0.0, 1.0]), A(n(2, 8)), A(n(8)), A(n(8, 1)), A(n(1))),
        C("huge-negative-logit-fraud", A([[50.0], [1.0]]), A([1.0, 0.0]), A([[20.0]]), A([0.0]),
          A([[-2.0]]), A([0.5])),
        C("bias-only-signal", A(np.zeros((3, 2))), A([1.0, 0.0, 1.0]), A(n(2, 2)), A([0.5, -0.5]),
          A([[2.0], [3.0]]), A([-0.25])),
        C("one-row-fraud", A([[1.5, -0.5, 2.0]]), A([1.0]), A(n(3, 2)), A(n(2)), A(n(2, 1)), A(n(1))),
    ]
    return ex, tests, []


# ====================================================================== 10 roc-auc-ranks


def cases_auc():
    r = rng(1001)
    s20 = r.random(20).round(1)
    y20 = (r.random(20) < 0.4).astype(int)
    s50 = r.normal(size=50).round(2)
    y50 = (r.random(50) < 1 / (1 + np.exp(-2 * s50))).astype(int)
    ex = [
        C("perfect-ranking", A([0.9, 0.8, 0.3, 0.1]), A([1, 1, 0, 0])),
        C("every-score-tied", A([0.5, 0.5, 0.5]), A([1, 0, 0])),
        C("some-ties", A([0.1, 0.4, 0.35, 0.8, 0.4]), A([0, 0, 1, 1, 1])),
    ]
    tests = [
        C("no-rows", A(np.zeros(0)), A(np.zeros(0, dtype=int))),
        C("one-row", A([0.7]), A([1])),
        C("only-fraud", A([0.2, 0.9, 0.4]), A([1, 1, 1])),
        C("only-legit", A([0.2, 0.9, 0.4]), A([0, 0, 0])),
        C("two-rows-wrong-order", A([0.9, 0.1]), A([0, 1])),
        C("reversed-ranking", A([0.1, 0.2, 0.3, 0.4, 0.5]), A([1, 1, 1, 0, 0])),
        C("tie-across-classes-only", A([0.3, 0.3, 0.3, 0.9]), A([1, 0, 0, 1])),
        C("ties-within-classes", A([0.5, 0.5, 0.2, 0.2, 0.8, 0.8]), A([1, 1, 0, 0, 0, 1])),
        C("negative-and-huge-scores", A([-1e300, 1e300, 0.0, -5.0, 1e300]), A([0, 1, 0, 1, 0])),
        C("twenty-rounded-scores", A(s20), A(y20)),
        C("fifty-scores", A(s50), A(y50)),
        C("single-fraud", A([0.4, 0.1, 0.6, 0.4, 0.2]), A([0, 0, 0, 1, 0])),
        C("single-legit", A([0.4, 0.1, 0.6, 0.4, 0.2]), A([1, 1, 1, 0, 1])),
    ]
    # A balanced evaluation sample: 2.5e9 fraud-legit pairs, so pairwise answers run out of
    # memory or time (with 3% fraud the pairs would fit). Three decimals: many ties.
    lr_ = rng(1002)
    y = (lr_.random(100000) < 0.5).astype(int)
    s = np.clip(0.45 + 0.1 * y + 0.15 * lr_.normal(size=100000), 0, 1).round(3)
    large = [C("hundred-thousand-transfers", A(s), A(y))]
    return ex, tests, large


# ====================================================================== 11 review-capacity-pr


def cases_review():
    r = rng(1101)
    s30 = r.random(30).round(1)
    y30 = (r.random(30) < 0.3).astype(int)
    d30 = r.integers(0, 4, size=30)
    s_nan = s30.copy()
    s_nan[[2, 5, 11, 17]] = np.nan
    ex = [
        C("one-day-capacity-two", A([0.9, 0.2, 0.7, 0.4]), A([1, 0, 0, 1]), A([1, 1, 1, 1]), 2),
        C("two-days", A([0.9, 0.8, 0.1, 0.95, 0.3, 0.2]), A([1, 0, 1, 0, 1, 0]), A([1, 1, 1, 2, 2, 2]), 1),
        C("tie-at-the-cut-lower-row-first", A([0.5, 0.7, 0.5, 0.5]), A([0, 1, 1, 0]), A([3, 3, 3, 3]), 2),
    ]
    tests = [
        C("no-alerts", A(np.zeros(0)), A(np.zeros(0, dtype=int)), A(np.zeros(0, dtype=int)), 5),
        C("zero-capacity", A([0.9, 0.8]), A([1, 0]), A([0, 0]), 0),
        C("no-fraud", A([0.9, 0.8, 0.1]), A([0, 0, 0]), A([0, 0, 1]), 1),
        C("one-alert", A([0.42]), A([1]), A([7]), 1),
        C("fewer-alerts-than-capacity", A([0.1, 0.2, 0.3]), A([0, 1, 0]), A([5, 5, 6]), 10),
        C("exactly-capacity", A([0.6, 0.1, 0.3, 0.2]), A([1, 1, 0, 1]), A([2, 2, 9, 9]), 2),
        C("unscored-never-reviewed", A([NAN, 0.2, NAN, 0.1]), A([1, 0, 1, 1]), A([1, 1, 1, 1]), 3),
        C("all-unscored", A([NAN, NAN]), A([1, 0]), A([4, 4]), 2),
        C("days-unsorted-negative-ids", A([0.3, 0.9, 0.5, 0.8, 0.7, 0.6]), A([1, 0, 1, 1, 0, 1]),
          A([-1, 20240102, -1, 20240102, -1, 20240102]), 1),
        C("ties-across-days-independent", A([0.5, 0.5, 0.5, 0.5]), A([0, 1, 1, 0]), A([2, 1, 2, 1]), 1),
        C("thirty-alerts-four-days", A(s30), A(y30), A(d30), 3),
        C("thirty-alerts-with-failures", A(s_nan), A(y30), A(d30), 2),
        C("tie-block-larger-than-capacity", A([0.8, 0.8, 0.8, 0.8, 0.9]), A([0, 0, 1, 1, 0]),
          A([0, 0, 0, 0, 0]), 3),
    ]
    lr_ = rng(1102)
    n = 60000
    y = (lr_.random(n) < 0.02).astype(int)
    s = np.clip(0.2 + 0.3 * y + 0.2 * lr_.normal(size=n), 0, 1).round(3)
    s[lr_.random(n) < 0.01] = np.nan
    days = lr_.integers(0, 60, size=n)
    large = [C("sixty-days-of-alerts", A(s), A(y), A(days), 50)]
    return ex, tests, large


# ====================================================================== 12 calibration-table


def cases_calibration():
    r = rng(1201)
    s40 = r.random(40).round(2)
    y40 = (r.random(40) < s40).astype(int)
    ex = [
        C("two-bins", A([0.1, 0.2, 0.8, 0.9]), A([0, 0, 1, 1]), 2),
        C("empty-middle-bin", A([0.05, 0.1, 0.9, 0.95]), A([0, 1, 1, 1]), 3),
        C("score-one-in-last-bin", A([1.0, 0.85, 0.05]), A([1, 0, 0]), 4),
    ]
    tests = [
        C("no-rows", A(np.zeros(0)), A(np.zeros(0, dtype=int)), 3),
        C("only-unscored-rows", A([NAN, NAN]), A([1, 0]), 2),
        C("one-row", A([0.3]), A([1]), 5),
        C("one-bin", A([0.05, 0.5, 0.95, 1.0]), A([0, 1, 0, 1]), 1),
        C("zero-score", A([0.0, 0.0, 0.2]), A([1, 0, 0]), 5),
        C("edge-goes-to-upper-bin", A([0.25, 0.5, 0.75, 0.2499]), A([1, 0, 0, 0]), 4),
        C("floor-as-written", A([0.29, 0.57, 0.58, 0.3]), A([1, 0, 1, 0]), 100),
        C("unscored-rows-left-out", A([0.1, NAN, 0.9, NAN, 0.85]), A([0, 1, 1, 1, 0]), 2),
        C("perfectly-calibrated", A([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75]),
          A([1, 0, 0, 0, 1, 1, 1, 0]), 2),
        C("all-fraud", A([0.9, 0.6, 0.2, 0.95]), A([1, 1, 1, 1]), 5),
        C("forty-rows-ten-bins", A(s40), A(y40), 10),
        C("many-bins-sparse", A([0.001, 0.333, 0.334, 0.999, 0.5]), A([0, 1, 0, 1, 1]), 1000),
        C("signs-cancel-only-within-a-bin", A([0.1, 0.15, 0.6, 0.65]), A([1, 0, 0, 1]), 2),
    ]
    lr_ = rng(1202)
    n = 50000
    # mostly low scores, as in production, plus a uniform fifth so that no bin is empty
    s = np.where(lr_.random(n) < 0.8, lr_.beta(0.8, 6.0, size=n), lr_.random(n)).round(4)
    y = (lr_.random(n) < np.minimum(1.0, s * 1.3)).astype(int)
    s[lr_.random(n) < 0.005] = np.nan
    large = [C("fifty-thousand-scores", A(s), A(y), 20)]
    return ex, tests, large


# ====================================================================== 13 gbdt-best-split


def cases_gbdt():
    r = rng(1301)
    x20 = r.normal(size=20).round(1)
    g20 = r.normal(size=20).round(2)
    h20 = (r.random(20) * 0.9 + 0.1).round(2)
    x_miss = x20.copy()
    x_miss[[1, 4, 9, 15]] = np.nan
    ex = [
        C("four-rows", A([1.0, 2.0, 3.0, 4.0]), A([-1.0, -1.0, 1.0, 1.0]), A([1.0, 1.0, 1.0, 1.0]), 1.0, 0.0),
        C("missing-goes-left", A([1.0, NAN, 3.0, 5.0]), A([-2.0, -3.0, 1.0, 2.0]), A([1.0, 1.0, 1.0, 1.0]),
          0.0, 0.0),
        C("constant-feature", A([7.0, 7.0, 7.0]), A([1.0, -1.0, 0.5]), A([1.0, 1.0, 1.0]), 1.0, 0.0),
    ]
    tests = [
        C("no-rows", A(np.zeros(0)), A(np.zeros(0)), A(np.zeros(0)), 1.0, 0.0),
        C("one-row", A([0.5]), A([1.0]), A([1.0]), 1.0, 0.0),
        C("all-missing", A([NAN, NAN, NAN]), A([1.0, -1.0, 2.0]), A([1.0, 1.0, 1.0]), 0.0, 0.0),
        C("split-only-between-distinct-values", A([1.0, 1.0, 2.0, 2.0, 2.0, 3.0]),
          A([-3.0, 2.0, 4.0, -1.0, 1.0, -2.0]), A([1.0, 1.0, 1.0, 1.0, 1.0, 1.0]), 0.5, 0.0),
        C("min-child-weight-blocks-best", A([1.0, 2.0, 3.0, 4.0, 5.0]), A([-5.0, 1.0, 1.0, 1.0, 1.0]),
          A([1.0, 1.0, 1.0, 1.0, 1.0]), 0.0, 2.0),
        C("min-child-weight-met-exactly", A([1.0, 2.0, 3.0]), A([-4.0, 1.0, 2.0]), A([0.5, 1.5, 2.0]),
          1.0, 2.0),
        C("min-child-weight-blocks-all", A([1.0, 2.0, 3.0]), A([-4.0, 1.0, 2.0]), A([0.5, 0.5, 0.5]),
          1.0, 1.0),
        C("negative-gain-still-returned", A([1.0, 2.0, 3.0]), A([1.0, 1.0, 1.0]), A([1.0, 1.0, 1.0]), 10.0, 0.0),
        C("tie-takes-smaller-threshold", A([1.0, 2.0, 3.0, 4.0]), A([2.0, -2.0, -2.0, 2.0]),
          A([1.0, 1.0, 1.0, 1.0]), 1.0, 0.0),
        C("tie-on-side-missing-right", A([1.0, NAN, 2.0]), A([3.0, 0.0, -3.0]), A([1.0, 2.0, 1.0]), 1.0, 0.0),
        C("missing-best-right", A([NAN, 1.0, 2.0, NAN, 3.0]), A([4.0, -1.0, -2.0, 3.0, 5.0]),
          A([1.0, 1.0, 1.0, 1.0, 1.0]), 1.0, 0.0),
        C("unsorted-negative-values", A([0.5, -3.0, 2.25, -0.75, 10.0, -3.0]),
          A([1.0, -2.0, 0.5, -1.0, 3.0, -1.5]), A([0.2, 0.4, 0.3, 0.5, 0.6, 0.1]), 0.1, 0.0),
        C("large-values", A([3e11, -1e12, 5e11, 1e12]), A([2e6, -1e6, 3e6, -4e6]), A([1e3, 2e3, 1e3, 3e3]),
          1.0, 0.0),
        C("twenty-rows", A(x20), A(g20), A(h20), 1.0, 0.5),
        C("twenty-rows-with-missing", A(x_miss), A(g20), A(h20), 0.5, 0.3),
    ]
    lr_ = rng(1302)
    n = 30000
    x = lr_.normal(size=n).round(3)
    p = 1 / (1 + np.exp(1.0 - 2.0 * (x > 0.7)))
    y = (lr_.random(n) < p).astype(float)
    pred = 0.4
    g = np.round(pred - y + 0.05 * lr_.normal(size=n), 4)
    h = np.round(0.24 + 0.01 * lr_.random(n), 4)
    x[lr_.random(n) < 0.05] = np.nan
    large = [C("thirty-thousand-rows", A(x), A(g), A(h), 1.0, 1.0)]
    return ex, tests, large


CASES = {
    "logreg-gd-l2": cases_logreg,
    "softmax-xent-grad": cases_softmax,
    "stable-logsumexp": cases_logsumexp,
    "kmeans-fixed-init": cases_kmeans,
    "pca-svd-signs": cases_pca,
    "causal-attention": cases_attention,
    "layer-norm-forward": cases_layernorm,
    "batch-norm-modes": cases_batchnorm,
    "mlp-backprop-step": cases_mlp,
    "roc-auc-ranks": cases_auc,
    "review-capacity-pr": cases_review,
    "calibration-table": cases_calibration,
    "gbdt-best-split": cases_gbdt,
}


# ====================================================================== expected values


def unwrap(v):
    """Plain result -> the `expected` as the pack writes it (arrays as nested lists)."""
    if isinstance(v, dict) and set(v) == {"ndarray"}:
        return v["ndarray"]["data"]
    if isinstance(v, list):
        return [unwrap(x) for x in v]
    if isinstance(v, dict):
        return {k: unwrap(x) for k, x in v.items()}
    return v


def has_nonfinite(v) -> bool:
    if isinstance(v, float):
        return not math.isfinite(v)
    if isinstance(v, list):
        return any(has_nonfinite(x) for x in v)
    if isinstance(v, dict):
        return any(has_nonfinite(x) for x in v.values())
    return False


def compute(q: dict, cases: list[dict], ref, ind, problems: list[str]) -> None:
    for case in cases:
        args, kwargs = kit.build_args(q, case)
        with np.errstate(all="ignore"):
            got = kit.to_plain(ref(*args, **kwargs))
        case["expected"] = unwrap(got)
        ok, why = kit.run_case(ind, q, case)
        if not ok:
            problems.append(f"{q['id']}/{case['name']}: independent implementation disagrees: {why}")


# ====================================================================== writing


def fmt(v) -> str:
    """A flow-style YAML value (NaN/inf as .nan/.inf, which PyYAML reads back as floats)."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return ".nan"
        if math.isinf(v):
            return ".inf" if v > 0 else "-.inf"
        text = repr(v)
        # YAML 1.1 (PyYAML) reads 1e-05 as a string: a float needs a dot before the exponent
        if "e" in text and "." not in text:
            text = text.replace("e", ".0e")
        return text
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(fmt(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {fmt(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def block(examples: list[dict], tests: list[dict], tests_file: str | None) -> str:
    lines = ["    # cases: begin"]
    for key, cases in (("examples", examples), ("tests", tests)):
        lines.append(f"    {key}:")
        for c in cases:
            lines.append(f"      - name: {c['name']}")
            lines.append(f"        args: {fmt(c['args'])}")
            lines.append(f"        expected: {fmt(c['expected'])}")
    if tests_file:
        lines.append(f"    tests_file: {tests_file}")
    lines.append("    # cases: end")
    return "\n".join(lines)


def replace_block(text: str, qid: str, new: str) -> str:
    start = text.index(f"  - id: {qid}\n")
    begin = text.index("    # cases: begin", start)
    end = text.index("    # cases: end", begin) + len("    # cases: end")
    nxt = text.find("\n  - id: ", start + 1)
    if nxt != -1 and end > nxt:
        raise SystemExit(f"{qid}: case markers missing")
    return text[:begin] + new + text[end:]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="fail if the files would change")
    opts = ap.parse_args()
    text = PACK.read_text(encoding="utf-8")
    pack = kit.load_pack()
    qs = kit.questions(pack)
    problems: list[str] = []
    outputs: dict[Path, str] = {}
    written: dict[str, list[dict]] = {}
    for qid, make in CASES.items():
        q = qs[qid]
        ref = kit.load_function(SOLUTIONS / f"{qid}.py", q["function"])
        ind = kit.load_function(INDEPENDENT / f"{qid}.py", q["function"])
        examples, tests, large = make()
        compute(q, examples + tests + large, ref, ind, problems)
        written[qid] = examples + tests + large
        bad = [c["name"] for c in large if has_nonfinite(c["expected"]) or has_nonfinite(c["args"])]
        if bad:
            problems.append(f"{qid}/{bad[0]}: JSON has no NaN/inf; keep such a case in the YAML")
            continue
        tests_file = None
        if large:
            tests_file = f"coding-numpy/{qid}.json"
            body = "[\n" + ",\n".join(json.dumps(c, separators=(",", ":"), allow_nan=False)
                                      for c in large) + "\n]\n"
            outputs[LARGE_DIR / f"{qid}.json"] = body
        text = replace_block(text, qid, block(examples, tests, tests_file))
        print(f"{qid}: {len(examples)} examples, {len(tests)} tests, {len(large)} large")
    outputs[PACK] = text
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    changed = [p for p, body in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != body]
    if opts.check:
        for p in changed:
            print(f"would change: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if changed else round_trip(written)
    LARGE_DIR.mkdir(exist_ok=True)
    for p in changed:
        p.write_text(outputs[p], encoding="utf-8")
        print(f"wrote {p.relative_to(ROOT)}")
    return round_trip(written)


def same_data(a, b) -> bool:
    """Exact equality of plain data, NaN equal to NaN, bool never int."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_data(a[k], b[k]) for k in a)
    return a == b


def round_trip(written: dict[str, list[dict]]) -> int:
    """Read the files back: every value must come back exactly (YAML has traps)."""
    qs = kit.questions(kit.load_pack())
    bad = 0
    for qid, cases in written.items():
        q = qs[qid]
        back = {c["name"]: c for c in q["examples"] + kit.hidden_cases(q)}
        for c in cases:
            b = back.get(c["name"])
            for key in ("args", "expected"):
                if b is None or not same_data(c[key], b[key]):
                    print(f"{qid}/{c['name']}: {key} does not read back as written", file=sys.stderr)
                    bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
