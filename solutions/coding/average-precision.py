from itertools import groupby


def average_precision(scores: list[float], labels: list[int]) -> float | None:
    """Sum over distinct thresholds (high to low) of recall gain times precision."""
    n_pos = sum(labels)
    if n_pos == 0:
        return None
    total = 0.0
    hits = flagged = 0
    # Equal scores share one threshold: they enter the flagged set together.
    ranked = sorted(zip(scores, labels, strict=True), reverse=True)
    for _, group in groupby(ranked, key=lambda sl: sl[0]):
        ys = [y for _, y in group]
        new_hits = sum(ys)
        hits += new_hits
        flagged += len(ys)
        total += new_hits * hits / flagged
    return total / n_pos
