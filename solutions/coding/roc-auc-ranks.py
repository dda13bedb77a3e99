import numpy as np


def roc_auc(scores, labels):
    """AUC from the rank sum of the positives (Mann-Whitney U), ties at mid-rank."""
    n_pos = int(np.sum(labels))
    n_neg = labels.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores)
    s = scores[order]
    new_group = np.ones(s.size, dtype=bool)
    new_group[1:] = s[1:] != s[:-1]
    starts = np.flatnonzero(new_group)
    ends = np.append(starts[1:], s.size)
    # a tie group covering 0-based positions starts..ends-1 shares the mean 1-based rank
    mid_rank = (starts + 1 + ends) / 2
    ranks = mid_rank[np.cumsum(new_group) - 1]
    pos_rank_sum = float(np.sum(ranks[labels[order] == 1]))
    # U / (n_pos n_neg) with U = rank sum - n_pos (n_pos + 1) / 2
    return (pos_rank_sum / n_pos - (n_pos + 1) / 2) / n_neg
