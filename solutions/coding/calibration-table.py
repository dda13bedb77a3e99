import numpy as np


def calibration_table(scores, labels, n_bins):
    """Per-bin count, mean score and positive rate over equal-width bins, and the ECE."""
    scored = ~np.isnan(scores)
    p = scores[scored]
    y = labels[scored]
    # p = 1.0 would land in bin n_bins: it belongs to the last bin
    bins = np.minimum(np.floor(p * n_bins).astype(np.int64), n_bins - 1)
    count = np.bincount(bins, minlength=n_bins)
    score_sum = np.bincount(bins, weights=p, minlength=n_bins)
    pos_sum = np.bincount(bins, weights=y, minlength=n_bins)
    with np.errstate(invalid="ignore"):
        mean_score = score_sum / count  # 0 / 0 = NaN marks an empty bin
        pos_rate = pos_sum / count
    filled = count > 0
    n = p.size
    if n == 0:
        ece = float("nan")
    else:
        gaps = np.abs(mean_score[filled] - pos_rate[filled])
        ece = float(np.sum(count[filled] * gaps)) / n
    return {"count": count, "mean_score": mean_score, "positive_rate": pos_rate, "ece": ece}
