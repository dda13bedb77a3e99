import numpy as np


def precision_recall_at_capacity(scores, labels, days, k):
    """Review the top k scored alerts of each day; precision and recall of what was reviewed."""
    scored = np.flatnonzero(~np.isnan(scores))
    # lexsort is stable and sorts by its last key first: day, then score descending,
    # then (by stability) row index
    order = scored[np.lexsort((-scores[scored], days[scored]))]
    d = days[order]
    first = np.ones(d.size, dtype=bool)
    first[1:] = d[1:] != d[:-1]
    starts = np.flatnonzero(first)
    rank_in_day = np.arange(d.size) - starts[np.cumsum(first) - 1]
    reviewed = order[rank_in_day < k]
    hits = int(np.sum(labels[reviewed]))
    positives = int(np.sum(labels))
    precision = hits / reviewed.size if reviewed.size else float("nan")
    recall = hits / positives if positives else float("nan")
    return precision, recall
