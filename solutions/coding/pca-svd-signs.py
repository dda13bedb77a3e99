import numpy as np


def pca(X, k):
    """Top-k principal axes of X by SVD of the centred data, signs pinned."""
    n = X.shape[0]
    centred = X - np.mean(X, axis=0)
    # full_matrices=False: U is (n, min(n, d)), not (n, n)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[:k]
    lead = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(k), lead])
    components = components * signs[:, None]
    variance = s ** 2 / (n - 1)
    return components, variance[:k], variance[:k] / np.sum(variance)
