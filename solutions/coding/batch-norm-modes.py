import numpy as np


def batch_norm(x, gamma, beta, running_mean, running_var, momentum, eps, training):
    """Batch normalisation over axis 0; returns (out, new running mean, new running var)."""
    if training:
        mean = np.mean(x, axis=0)
        var = np.var(x, axis=0)
        # the running variance tracks the unbiased estimate, as PyTorch does
        unbiased = np.var(x, axis=0, ddof=1)
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * unbiased
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = running_mean.copy(), running_var.copy()
    out = (x - mean) / np.sqrt(var + eps) * gamma + beta
    return out, new_mean, new_var
