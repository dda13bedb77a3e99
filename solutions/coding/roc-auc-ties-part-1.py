from itertools import groupby


def weighted_roc_auc(scores: list[float], labels: list[int], weights: list[float]) -> float | None:
    """Weighted P(positive outscores negative), each pair weighted w_pos * w_neg, ties half."""
    w_pos = sum(w for y, w in zip(labels, weights, strict=True) if y == 1)
    w_neg = sum(w for y, w in zip(labels, weights, strict=True) if y == 0)
    if 1 not in labels or 0 not in labels:
        return None
    wins = 0.0
    neg_below = 0.0  # weight of negatives scoring strictly below the current group
    rows = sorted(zip(scores, labels, weights, strict=True), key=lambda r: r[0])
    for _, group in groupby(rows, key=lambda r: r[0]):
        pos = neg = 0.0
        for _, y, w in group:
            if y == 1:
                pos += w
            else:
                neg += w
        wins += pos * (neg_below + neg / 2)
        neg_below += neg
    return wins / (w_pos * w_neg)
