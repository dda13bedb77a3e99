import numpy as np


def logsumexp(x, axis, keepdims):
    """log(sum(exp(x))) along `axis`, without overflow or underflow."""
    # initial=-inf: a slice of length zero has maximum -inf instead of raising
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    # shift by the maximum only where it is finite: inf - inf would be NaN
    shift = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return out
