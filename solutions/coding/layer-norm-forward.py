import numpy as np


def layer_norm(x, gamma, beta, eps):
    """Normalise each vector along the last axis, then scale and shift."""
    mu = np.mean(x, axis=-1, keepdims=True)
    # two-pass variance (ddof=0); E[x^2] - E[x]^2 cancels on large offsets
    var = np.var(x, axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * gamma + beta
