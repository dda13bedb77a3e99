"""Plausible wrong answers to the coding-numpy questions: each must fail a hidden test.

Each is a whole answer's source (the judge runs sources), keyed by question id. They are
the mistakes an interviewer sees: a swapped axis, a sum for a mean, ddof, a tie rule
read the other way, an unstable formula, a quadratic algorithm that the large case
must stop.
"""

from __future__ import annotations

WRONG: dict[str, dict[str, str]] = {}


def wrong(qid: str, name: str, source: str) -> None:
    WRONG.setdefault(qid, {})[name] = source


# ---------------------------------------------------------------- logreg-gd-l2
_LR = '''
import numpy as np

def train_logistic_l2(X, y, lr, l2, steps):
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    for _ in range({steps}):
        p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
        r = p - y
        grad_w = {grad_w}
        {update}
    return w, b
'''
_LR_OK = dict(steps="steps", grad_w="X.T @ r / n + l2 * w",
              update="grad_b = r.mean()\n        w = w - lr * grad_w\n        b = b - lr * grad_b")
wrong("logreg-gd-l2", "bias-penalised", _LR.format(**{**_LR_OK, "update": (
    "grad_b = r.mean() + l2 * b\n        w = w - lr * grad_w\n        b = b - lr * grad_b")}))
wrong("logreg-gd-l2", "w-updated-before-bias-gradient", _LR.format(**{**_LR_OK, "update": (
    "w = w - lr * grad_w\n        p = 1.0 / (1.0 + np.exp(-(X @ w + b)))\n"
    "        b = b - lr * (p - y).mean()")}))
wrong("logreg-gd-l2", "summed-not-averaged", _LR.format(**{**_LR_OK, "grad_w": "X.T @ r + l2 * w",
                                                          "update": "grad_b = r.sum()\n        w = w - lr * grad_w\n        b = b - lr * grad_b"}))
wrong("logreg-gd-l2", "penalty-gradient-2-l2-w", _LR.format(**{**_LR_OK, "grad_w": "X.T @ r / n + 2 * l2 * w"}))
wrong("logreg-gd-l2", "one-extra-step", _LR.format(**{**_LR_OK, "steps": "steps + 1"}))

# ---------------------------------------------------------------- softmax-xent-grad
_SM = '''
import numpy as np

def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    {probs}
    rows = np.arange(n)
    loss = {loss}
    grad = P.copy()
    grad[rows, labels] -= 1.0
    return float(loss), grad {scale}
'''
_SM_OK = dict(probs="e = np.exp(logits - logits.max(axis=1, keepdims=True))\n    P = e / e.sum(axis=1, keepdims=True)",
              loss="-np.mean(np.log(P[rows, labels]))", scale="/ n")
wrong("softmax-xent-grad", "no-max-shift-overflows", _SM.format(**{**_SM_OK, "probs": "e = np.exp(logits)\n    P = e / e.sum(axis=1, keepdims=True)"}))
wrong("softmax-xent-grad", "gradient-not-averaged", _SM.format(**{**_SM_OK, "scale": ""}))
wrong("softmax-xent-grad", "loss-summed", _SM.format(**{**_SM_OK, "loss": "-np.sum(np.log(P[rows, labels]))"}))
wrong("softmax-xent-grad", "softmax-over-batch-axis", _SM.format(**{**_SM_OK, "probs": "e = np.exp(logits - logits.max(axis=0, keepdims=True))\n    P = e / e.sum(axis=0, keepdims=True)"}))

# ---------------------------------------------------------------- stable-logsumexp
wrong("stable-logsumexp", "naive", '''
import numpy as np

def logsumexp(x, axis, keepdims):
    return np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))
''')
wrong("stable-logsumexp", "max-shift-without-inf-guard", '''
import numpy as np

def logsumexp(x, axis, keepdims):
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)
''')
wrong("stable-logsumexp", "keepdims-ignored", '''
import numpy as np

def logsumexp(x, axis, keepdims):
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    s = np.where(np.isfinite(m), m, 0.0)
    return np.squeeze(np.log(np.sum(np.exp(x - s), axis=axis, keepdims=True)) + s, axis=axis)
''')
wrong("stable-logsumexp", "max-of-empty-raises", '''
import numpy as np

def logsumexp(x, axis, keepdims):
    m = np.max(x, axis=axis, keepdims=True)
    s = np.where(np.isfinite(m), m, 0.0)
    out = np.log(np.sum(np.exp(x - s), axis=axis, keepdims=True)) + s
    return out if keepdims else np.squeeze(out, axis=axis)
''')

# ---------------------------------------------------------------- kmeans-fixed-init
_KM = '''
import numpy as np

def kmeans(X, init, n_iter):
    C = init.astype(float).copy()
    def nearest(C):
        d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
        {argmin}
    for _ in range({iters}):
        lab = nearest(C)
        for j in range(len(C)):
            members = X[lab == j]
            {update}
    return C, {labels}
'''
_KM_OK = dict(argmin="return d2.argmin(axis=1)", iters="n_iter",
              update="if len(members):\n                C[j] = members.mean(axis=0)", labels="nearest(C)")
wrong("kmeans-fixed-init", "empty-cluster-becomes-nan", _KM.format(**{**_KM_OK, "update": "C[j] = members.mean(axis=0)"}))
wrong("kmeans-fixed-init", "ties-to-highest-index", _KM.format(**{**_KM_OK, "argmin": "return d2.shape[1] - 1 - d2[:, ::-1].argmin(axis=1)"}))
wrong("kmeans-fixed-init", "one-iteration-short", _KM.format(**{**_KM_OK, "iters": "max(n_iter - 1, 0)"}))
wrong("kmeans-fixed-init", "labels-from-before-last-update", '''
import numpy as np

def kmeans(X, init, n_iter):
    C = init.astype(float).copy()
    lab = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
    for _ in range(n_iter):
        lab = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
        for j in range(len(C)):
            if (lab == j).any():
                C[j] = X[lab == j].mean(axis=0)
    return C, lab
''')
wrong("kmeans-fixed-init", "empty-cluster-moves-to-origin", _KM.format(**{**_KM_OK, "update": "C[j] = members.mean(axis=0) if len(members) else 0.0"}))

# ---------------------------------------------------------------- pca-svd-signs
_PCA = '''
import numpy as np

def pca(X, k):
    n = X.shape[0]
    Xc = {centre}
    _, s, vt = np.linalg.svd(Xc, full_matrices={full})
    comps = vt[:k].copy()
    {signs}
    var = s ** 2 / ({ddof})
    return comps, var[:k], {ratio}
'''
_PCA_OK = dict(centre="X - X.mean(axis=0)", full="False",
               signs="lead = np.argmax(np.abs(comps), axis=1)\n    comps *= np.sign(comps[np.arange(k), lead])[:, None]",
               ddof="n - 1", ratio="var[:k] / var.sum()")
wrong("pca-svd-signs", "not-centred", _PCA.format(**{**_PCA_OK, "centre": "X"}))
wrong("pca-svd-signs", "population-variance", _PCA.format(**{**_PCA_OK, "ddof": "n"}))
wrong("pca-svd-signs", "sign-not-pinned", _PCA.format(**{**_PCA_OK, "signs": "pass"}))
wrong("pca-svd-signs", "sign-by-first-entry", _PCA.format(**{**_PCA_OK, "signs": "comps *= np.sign(comps[:, :1])"}))
wrong("pca-svd-signs", "ratio-over-kept-axes", _PCA.format(**{**_PCA_OK, "ratio": "var[:k] / var[:k].sum()"}))
wrong("pca-svd-signs", "full-svd-n-by-n", _PCA.format(**{**_PCA_OK, "full": "True"}))
wrong("pca-svd-signs", "centred-along-rows", _PCA.format(**{**_PCA_OK, "centre": "X - X.mean(axis=1, keepdims=True)"}))

# ---------------------------------------------------------------- causal-attention
_ATT = '''
import numpy as np

def causal_attention(Q, K, V):
    T, d_k = Q.shape[-2], Q.shape[-1]
    s = Q @ {kt} {scale}
    s = np.where(np.triu(np.ones((T, T), dtype=bool), k={k}), -np.inf, s)
    {softmax}
    return w @ V
'''
_ATT_OK = dict(kt="np.swapaxes(K, -1, -2)", scale="/ np.sqrt(d_k)", k="1",
               softmax="e = np.exp(s - s.max(axis=-1, keepdims=True))\n    w = e / e.sum(axis=-1, keepdims=True)")
wrong("causal-attention", "not-scaled", _ATT.format(**{**_ATT_OK, "scale": ""}))
wrong("causal-attention", "scaled-by-d-k", _ATT.format(**{**_ATT_OK, "scale": "/ d_k"}))
wrong("causal-attention", "next-step-leaks", _ATT.format(**{**_ATT_OK, "k": "2"}))
wrong("causal-attention", "K-dot-T-on-batches", _ATT.format(**{**_ATT_OK, "kt": "K.T"}))
wrong("causal-attention", "no-max-shift", _ATT.format(**{**_ATT_OK, "softmax": "e = np.exp(s)\n    w = e / e.sum(axis=-1, keepdims=True)"}))
wrong("causal-attention", "softmax-over-queries", _ATT.format(**{**_ATT_OK, "softmax": "e = np.exp(s - s.max(axis=-1, keepdims=True))\n    w = e / e.sum(axis=-2, keepdims=True)"}))

# ---------------------------------------------------------------- layer-norm-forward
_LN = '''
import numpy as np

def layer_norm(x, gamma, beta, eps):
    mu = x.mean(axis={axis}, keepdims=True)
    var = {var}
    return {out}
'''
_LN_OK = dict(axis="-1", var="x.var(axis=-1, keepdims=True)", out="(x - mu) / np.sqrt(var + eps) * gamma + beta")
wrong("layer-norm-forward", "one-pass-variance", _LN.format(**{**_LN_OK, "var": "(x * x).mean(axis=-1, keepdims=True) - mu ** 2"}))
wrong("layer-norm-forward", "sample-variance", _LN.format(**{**_LN_OK, "var": "x.var(axis=-1, keepdims=True, ddof=1)"}))
wrong("layer-norm-forward", "normalised-over-batch", _LN.format(**{**_LN_OK, "axis": "0", "var": "x.var(axis=0, keepdims=True)"}))
wrong("layer-norm-forward", "eps-outside-sqrt", _LN.format(**{**_LN_OK, "out": "(x - mu) / (np.sqrt(var) + eps) * gamma + beta"}))

# ---------------------------------------------------------------- batch-norm-modes
_BN = '''
import numpy as np

def batch_norm(x, gamma, beta, running_mean, running_var, momentum, eps, training):
    if training:
        mean = x.mean(axis=0)
        var = {var}
        new_mean = {new_mean}
        new_var = {new_var}
    else:
        {eval}
    out = (x - mean) / np.sqrt(var + eps) * gamma + beta
    return out, new_mean, new_var
'''
_BN_OK = dict(var="x.var(axis=0)", new_mean="(1 - momentum) * running_mean + momentum * mean",
              new_var="(1 - momentum) * running_var + momentum * x.var(axis=0, ddof=1)",
              eval="mean, var = running_mean, running_var\n        new_mean, new_var = running_mean, running_var")
wrong("batch-norm-modes", "running-var-biased", _BN.format(**{**_BN_OK, "new_var": "(1 - momentum) * running_var + momentum * var"}))
wrong("batch-norm-modes", "keras-momentum", _BN.format(**{**_BN_OK, "new_mean": "momentum * running_mean + (1 - momentum) * mean",
                                                         "new_var": "momentum * running_var + (1 - momentum) * x.var(axis=0, ddof=1)"}))
wrong("batch-norm-modes", "eval-uses-batch-stats", _BN.format(**{**_BN_OK, "eval": "mean, var = x.mean(axis=0), x.var(axis=0)\n        new_mean, new_var = running_mean, running_var"}))
wrong("batch-norm-modes", "normalised-with-unbiased-var", _BN.format(**{**_BN_OK, "var": "x.var(axis=0, ddof=1)",
                                                                        "new_var": "(1 - momentum) * running_var + momentum * var"}))
wrong("batch-norm-modes", "statistics-per-row", _BN.format(**{**_BN_OK, "var": "x.var(axis=1, keepdims=True)"}).replace(
    "mean = x.mean(axis=0)", "mean = x.mean(axis=1, keepdims=True)"))

# ---------------------------------------------------------------- mlp-backprop-step
_MLP = '''
import numpy as np

def mlp_step(X, y, W1, b1, W2, b2):
    n = X.shape[0]
    z1 = X @ W1 + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W2 + b2
    {head}
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    dz1 = (dz2 @ W2.T) * ({relu})
    return {{"loss": float(loss), "dW1": X.T @ dz1, "db1": dz1.sum(axis=0), "dW2": dW2, "db2": db2}}
'''
_MLP_OK = dict(head="yy = y[:, None]\n    loss = np.mean(np.logaddexp(0, z2) - yy * z2)\n"
                    "    dz2 = (1 / (1 + np.exp(-z2)) - yy) / n", relu="z1 > 0")
wrong("mlp-backprop-step", "n1-minus-n-broadcast", _MLP.format(**{**_MLP_OK, "head": (
    "loss = np.mean(np.logaddexp(0, z2) - y * z2)\n    dz2 = (1 / (1 + np.exp(-z2)) - y) / n")}))
wrong("mlp-backprop-step", "relu-gradient-at-zero-is-one", _MLP.format(**{**_MLP_OK, "relu": "z1 >= 0"}))
wrong("mlp-backprop-step", "gradients-summed-not-averaged", _MLP.format(**{**_MLP_OK, "head": (
    "yy = y[:, None]\n    loss = np.mean(np.logaddexp(0, z2) - yy * z2)\n    dz2 = 1 / (1 + np.exp(-z2)) - yy")}))
wrong("mlp-backprop-step", "log-of-probability-overflows", _MLP.format(**{**_MLP_OK, "head": (
    "yy = y[:, None]\n    p = 1 / (1 + np.exp(-z2))\n    loss = np.mean(-yy * np.log(p) - (1 - yy) * np.log(1 - p))\n"
    "    dz2 = (p - yy) / n")}))
wrong("mlp-backprop-step", "relu-gradient-from-activation-sign", _MLP.format(**{**_MLP_OK, "relu": "X @ W1 > 0.5"}))

# ---------------------------------------------------------------- roc-auc-ranks
wrong("roc-auc-ranks", "ties-count-zero", '''
import numpy as np

def roc_auc(scores, labels):
    pos, neg = np.sort(scores[labels == 1]), np.sort(scores[labels == 0])
    if not len(pos) or not len(neg):
        return float("nan")
    return float(np.searchsorted(neg, pos, side="left").sum() / (len(pos) * len(neg)))
''')
wrong("roc-auc-ranks", "ordinal-ranks", '''
import numpy as np

def roc_auc(scores, labels):
    n1 = int(labels.sum()); n0 = len(labels) - n1
    if not n1 or not n0:
        return float("nan")
    ranks = np.empty(len(scores)); ranks[np.argsort(scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return float((ranks[labels == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))
''')
wrong("roc-auc-ranks", "pairwise-broadcast", '''
import numpy as np

def roc_auc(scores, labels):
    pos, neg = scores[labels == 1], scores[labels == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size)
''')
wrong("roc-auc-ranks", "one-class-gives-half", '''
import numpy as np

def roc_auc(scores, labels):
    pos, neg = np.sort(scores[labels == 1]), np.sort(scores[labels == 0])
    if not len(pos) or not len(neg):
        return 0.5
    lo = np.searchsorted(neg, pos, side="left"); hi = np.searchsorted(neg, pos, side="right")
    return float((lo.sum() + 0.5 * (hi - lo).sum()) / (len(pos) * len(neg)))
''')

# ---------------------------------------------------------------- review-capacity-pr
_RV = '''
import numpy as np

def precision_recall_at_capacity(scores, labels, days, k):
    reviewed = []
    for d in np.unique(days):
        idx = np.flatnonzero((days == d) {nan})
        order = {order}
        reviewed.extend(idx[order][:k])
    reviewed = np.array(reviewed, dtype=int)
    hits = labels[reviewed].sum()
    total = {total}
    p = hits / len(reviewed) if len(reviewed) else float("nan")
    r = hits / total if total else float("nan")
    return float(p), float(r)
'''
_RV_OK = dict(nan="& ~np.isnan(scores)", order="np.argsort(-scores[idx], kind='stable')", total="labels.sum()")
wrong("review-capacity-pr", "ties-to-later-row", _RV.format(**{**_RV_OK, "order": "np.argsort(scores[idx], kind='stable')[::-1]"}))
wrong("review-capacity-pr", "unscored-reviewed-last", _RV.format(**{**_RV_OK, "nan": "", "order": "np.argsort(-np.nan_to_num(scores[idx], nan=-1.0), kind='stable')"}))
wrong("review-capacity-pr", "recall-over-scored-frauds", _RV.format(**{**_RV_OK, "total": "labels[~np.isnan(scores)].sum()"}))
wrong("review-capacity-pr", "capacity-over-all-days", '''
import numpy as np

def precision_recall_at_capacity(scores, labels, days, k):
    idx = np.flatnonzero(~np.isnan(scores))
    top = idx[np.argsort(-scores[idx], kind="stable")][:k * len(np.unique(days))]
    hits = labels[top].sum(); total = labels.sum()
    return (float(hits / len(top)) if len(top) else float("nan"),
            float(hits / total) if total else float("nan"))
''')

# ---------------------------------------------------------------- calibration-table
_CT = '''
import numpy as np

def calibration_table(scores, labels, n_bins):
    keep = {keep}
    p, y = scores[keep], labels[keep]
    b = {bins}
    count = np.bincount(b, minlength=n_bins)[:n_bins]
    with np.errstate(all="ignore"):
        ms = np.bincount(b, weights=p, minlength=n_bins)[:n_bins] / count
        pr = np.bincount(b, weights=y, minlength=n_bins)[:n_bins] / count
    {empty}
    f = count > 0
    ece = {ece}
    return {{"count": count, "mean_score": ms, "positive_rate": pr, "ece": ece}}
'''
_CT_OK = dict(keep="~np.isnan(scores)", bins="np.minimum(np.floor(p * n_bins).astype(int), n_bins - 1)", empty="pass",
              ece="float((count[f] * np.abs(ms[f] - pr[f])).sum() / count.sum()) if count.sum() else float('nan')")
wrong("calibration-table", "digitize-on-linspace-edges", _CT.format(**{**_CT_OK, "bins": "np.clip(np.digitize(p, np.linspace(0, 1, n_bins + 1)) - 1, 0, n_bins - 1)"}))
wrong("calibration-table", "empty-bins-zero", _CT.format(**{**_CT_OK, "empty": "ms = np.nan_to_num(ms); pr = np.nan_to_num(pr)"}))
wrong("calibration-table", "ece-unweighted", _CT.format(**{**_CT_OK, "ece": "float(np.abs(ms[f] - pr[f]).mean()) if count.sum() else float('nan')"}))
wrong("calibration-table", "empty-input-ece-zero", _CT.format(**{**_CT_OK, "ece": "float((count[f] * np.abs(ms[f] - pr[f])).sum() / count.sum()) if count.sum() else 0.0"}))
wrong("calibration-table", "unscored-as-zero", _CT.format(**{**_CT_OK, "keep": "np.ones(len(scores), bool)"}).replace(
    "p, y = scores[keep], labels[keep]", "p, y = np.nan_to_num(scores), labels"))

# ---------------------------------------------------------------- gbdt-best-split
_GB = '''
import numpy as np

def best_split(x, g, h, reg_lambda, min_child_weight):
    miss = np.isnan(x)
    vals = np.unique(x[~miss])
    G, H = {G}, {H}
    best = (None, None, None)
    def gain(gl, hl):
        gr, hr = G - gl, H - hl
        if {mcw}:
            return None
        return {formula}
    for a, b in zip(vals[:-1], vals[1:]):
        left = ~miss & (x <= a)
        for side, mask in ((False, left), (True, left | miss)){sides}:
            v = gain(g[mask].sum(), h[mask].sum())
            if v is not None and (best[1] is None or v {better} best[1]):
                best = ((a + b) / 2, v, side)
    return best
'''
_GB_OK = dict(G="g.sum()", H="h.sum()", mcw="hl < min_child_weight or hr < min_child_weight",
              formula="0.5 * (gl**2 / (hl + reg_lambda) + gr**2 / (hr + reg_lambda) - G**2 / (H + reg_lambda))",
              sides="", better=">")
wrong("gbdt-best-split", "missing-rows-dropped", _GB.format(**{**_GB_OK, "G": "g[~miss].sum()", "H": "h[~miss].sum()", "sides": "[:1]"}))
wrong("gbdt-best-split", "missing-always-right", _GB.format(**{**_GB_OK, "sides": "[:1]"}))
wrong("gbdt-best-split", "min-child-weight-strict", _GB.format(**{**_GB_OK, "mcw": "hl <= min_child_weight or hr <= min_child_weight"}))
wrong("gbdt-best-split", "ties-to-larger-threshold", _GB.format(**{**_GB_OK, "better": ">="}))
wrong("gbdt-best-split", "no-half-factor", _GB.format(**{**_GB_OK, "formula": "gl**2 / (hl + reg_lambda) + gr**2 / (hr + reg_lambda) - G**2 / (H + reg_lambda)"}))
wrong("gbdt-best-split", "lambda-on-parent-forgotten", _GB.format(**{**_GB_OK, "formula": "0.5 * (gl**2 / (hl + reg_lambda) + gr**2 / (hr + reg_lambda) - G**2 / H)"}))
wrong("gbdt-best-split", "split-between-every-row", '''
import numpy as np

def best_split(x, g, h, reg_lambda, min_child_weight):
    miss = np.isnan(x)
    o = np.argsort(x[~miss], kind="stable")
    xs, gs, hs = x[~miss][o], g[~miss][o], h[~miss][o]
    G, H = g.sum(), h.sum()
    gm, hm = g[miss].sum(), h[miss].sum()
    best = (None, None, None)
    for i in range(len(xs) - 1):
        for side in (False, True):
            gl = gs[:i + 1].sum() + (gm if side else 0.0)
            hl = hs[:i + 1].sum() + (hm if side else 0.0)
            gr, hr = G - gl, H - hl
            if hl < min_child_weight or hr < min_child_weight:
                continue
            v = 0.5 * (gl**2 / (hl + reg_lambda) + gr**2 / (hr + reg_lambda) - G**2 / (H + reg_lambda))
            if best[1] is None or v > best[1]:
                best = (float((xs[i] + xs[i + 1]) / 2), float(v), side)
    return best
''')
