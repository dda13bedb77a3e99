import numpy as np


def causal_attention(Q, K, V):
    """softmax(Q K^T / sqrt(d_k) + causal mask) V over the last two axes."""
    T, d_k = Q.shape[-2], Q.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)
    future = np.arange(T)[None, :] > np.arange(T)[:, None]  # key after query
    scores = np.where(future, -np.inf, scores)
    scores = scores - np.max(scores, axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    return weights @ V
