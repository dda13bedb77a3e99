import numpy as np


def _nearest(X, centroids):
    d2 = np.sum((X[:, None, :] - centroids[None, :, :]) ** 2, axis=2)
    return np.argmin(d2, axis=1)  # argmin takes the first (lowest) index on ties


def kmeans(X, init, n_iter):
    """Lloyd's algorithm for n_iter rounds from the given centroids."""
    centroids = np.array(init, dtype=np.float64)
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
