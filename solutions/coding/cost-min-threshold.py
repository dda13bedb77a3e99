from itertools import groupby


def min_cost_threshold(
    scores: list[float], labels: list[int], amounts: list[int], review_cost: int
) -> list:
    """The threshold (flag score >= t) minimising review cost plus missed fraud amounts.

    Returns [t, cost], t None when flagging nothing is cheapest; ties go to the
    higher threshold (fewer alerts).
    """
    cost = best_cost = sum(a for y, a in zip(labels, amounts, strict=True) if y)
    best_t = None
    ranked = sorted(zip(scores, labels, amounts, strict=True), reverse=True)
    # Lowering the threshold one distinct score at a time adds that group's alerts.
    for score, group in groupby(ranked, key=lambda r: r[0]):
        for _, y, a in group:
            cost += review_cost - y * a
        if cost < best_cost:
            best_t, best_cost = score, cost
    return [best_t, best_cost]
