import numpy as np


def mlp_step(X, y, W1, b1, W2, b2):
    """Forward and backward pass of a ReLU MLP with one sigmoid output and mean log loss."""
    n = X.shape[0]
    z1 = X @ W1 + b1
    a1 = np.maximum(z1, 0.0)
    z2 = (a1 @ W2 + b2).ravel()  # (n, 1) -> (n,), the shape of y
    # log loss from the logit: softplus(z) - y * z, finite for any finite z
    loss = np.mean(np.logaddexp(0.0, z2) - y * z2)
    p = np.exp(-np.logaddexp(0.0, -z2))
    dz2 = (p - y) / n
    dW2 = a1.T @ dz2[:, None]
    db2 = np.array([np.sum(dz2)])
    dz1 = (dz2[:, None] @ W2.T) * (z1 > 0)
    dW1 = X.T @ dz1
    db1 = np.sum(dz1, axis=0)
    return {"loss": float(loss), "dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
