import numpy as np


def _nearest(X, centroids):
    diff = X[:, None, :] - centroids[None, :, :]
    d2 = np.einsum("nkd,nkd->nk", diff, diff)  # squared distances, shape (n, k)
    return np.argmin(d2, axis=1)  # argmin takes the first (lowest) index on ties


def kmeans(X, init, n_iter):
    """Lloyd's algorithm for n_iter rounds from the given centroids."""
    centroids = np.copy(init)
    k = centroids.shape[0]
    for _ in range(n_iter):
        labels = _nearest(X, centroids)
        counts = np.bincount(labels, minlength=k)
        sums = np.zeros_like(centroids)
        np.add.at(sums, labels, X)
        filled = counts > 0
        # an empty cluster keeps its centroid
        centroids[filled] = sums[filled] / counts[filled][:, None]
    return centroids, _nearest(X, centroids)
