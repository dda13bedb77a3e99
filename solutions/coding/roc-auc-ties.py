from itertools import groupby


def roc_auc(scores: list[float], labels: list[int]) -> float | None:
    """P(score of a random positive > score of a random negative), ties counting half."""
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    wins = 0.0
    neg_below = 0  # negatives with a strictly lower score than the current group
    for _, group in groupby(sorted(zip(scores, labels, strict=True)), key=lambda sl: sl[0]):
        ys = [y for _, y in group]
        pos = sum(ys)
        neg = len(ys) - pos
        wins += pos * (neg_below + neg / 2)
        neg_below += neg
    return wins / (n_pos * n_neg)
