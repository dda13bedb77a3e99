from collections import Counter
from itertools import groupby


def ordered_target_encoding(rows: list[list], smoothing: float) -> list[float | None]:
    """Smoothed target mean of each row's category over strictly earlier rows, in input order."""
    out: list[float | None] = [None] * len(rows)
    seen = positives = 0
    n_cat: Counter[str] = Counter()
    pos_cat: Counter[str] = Counter()
    order = sorted(range(len(rows)), key=lambda i: rows[i][0])
    for _, same_ts in groupby(order, key=lambda i: rows[i][0]):
        batch = list(same_ts)
        # Encode the whole second before learning from it: rows sharing a timestamp
        # must not see each other's labels.
        if seen:
            prior = positives / seen
            for i in batch:
                c = rows[i][1]
                out[i] = (pos_cat[c] + smoothing * prior) / (n_cat[c] + smoothing)
        for i in batch:
            _, c, y = rows[i]
            seen += 1
            positives += y
            n_cat[c] += 1
            pos_cat[c] += y
    return out
