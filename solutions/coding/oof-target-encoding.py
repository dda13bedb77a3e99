from collections import Counter


def oof_target_encoding(
    categories: list[str],
    labels: list[int],
    folds: list[int],
    smoothing: float,
    test_categories: list[str],
) -> list[list[float | None]]:
    """Out-of-fold smoothed target means for training rows, full-data ones for test rows."""
    n_all, pos_all = Counter(categories), Counter()
    n_fold, pos_fold = Counter(folds), Counter()
    n_cell, pos_cell = Counter(zip(folds, categories, strict=True)), Counter()
    for c, y, f in zip(categories, labels, folds, strict=True):
        pos_all[c] += y
        pos_fold[f] += y
        pos_cell[f, c] += y
    total, positives = len(labels), sum(labels)

    def encode(pos: int, n: int, prior_pos: int, prior_n: int) -> float | None:
        if prior_n == 0:
            return None
        prior = prior_pos / prior_n
        return (pos + smoothing * prior) / (n + smoothing)

    # A row's own fold is left out of both its category mean and the prior,
    # so its own label never leaks into its feature.
    train = [
        encode(
            pos_all[c] - pos_cell[f, c],
            n_all[c] - n_cell[f, c],
            positives - pos_fold[f],
            total - n_fold[f],
        )
        for c, f in zip(categories, folds, strict=True)
    ]
    test = [encode(pos_all[c], n_all[c], positives, total) for c in test_categories]
    return [train, test]
