import numpy as np


def best_split(x, g, h, reg_lambda, min_child_weight):
    """Best threshold on one feature by second-order gain, with a learned side for NaNs."""
    missing = np.isnan(x)
    g_miss = np.sum(g[missing])
    h_miss = np.sum(h[missing])
    order = np.argsort(x[~missing])
    xs = x[~missing][order]
    g_left = np.cumsum(g[~missing][order])[:-1]
    h_left = np.cumsum(h[~missing][order])[:-1]
    g_all = np.sum(g)
    h_all = np.sum(h)

    def gain(gl, hl):
        gr = g_all - gl
        hr = h_all - hl
        value = 0.5 * (gl ** 2 / (hl + reg_lambda) + gr ** 2 / (hr + reg_lambda)
                       - g_all ** 2 / (h_all + reg_lambda))
        ok = (hl >= min_child_weight) & (hr >= min_child_weight) & (xs[1:] != xs[:-1])
        return np.where(ok, value, -np.inf)

    # column 0: missing rows go right; column 1: they go left
    gains = np.stack([gain(g_left, h_left), gain(g_left + g_miss, h_left + h_miss)], axis=1)
    if gains.size == 0 or np.max(gains) == -np.inf:
        return None, None, None
    # argmax takes the first maximum: the smallest threshold, then missing-right
    i, side = divmod(int(np.argmax(gains)), 2)
    threshold = (xs[i] + xs[i + 1]) / 2
    return float(threshold), float(gains[i, side]), bool(side)
