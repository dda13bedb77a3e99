import numpy as np


def train_logistic_l2(X, y, lr, l2, steps):
    """Batch gradient descent on mean log loss + (l2 / 2) * ||w||^2, from w = 0, b = 0."""
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    for _ in range(steps):
        z = X @ w + b
        # sigmoid(z) = exp(-log(1 + exp(-z))): no overflow for any finite z
        p = np.exp(-np.logaddexp(0.0, -z))
        r = p - y
        # both gradients at the current (w, b), then both updates
        grad_w = X.T @ r / n + l2 * w
        grad_b = np.mean(r)
        w = w - lr * grad_w
        b = b - lr * grad_b
    return w, float(b)
