from collections import defaultdict


def budget_threshold(events: list[list], budget: int) -> list:
    """Lowest observed score t with at most `budget` alerts (score >= t) on every day.

    Returns [t, precision, alerts]; [None, None, 0] when no observed score fits.
    """
    by_day: dict[str, list[float]] = defaultdict(list)
    for day, score, _ in events:
        by_day[day].append(score)
    # On a day with more than `budget` events, t must be strictly above the day's
    # (budget+1)-th highest score; `floor` is the largest such bound.
    floor = None
    for scores in by_day.values():
        if len(scores) > budget:
            bound = sorted(scores, reverse=True)[budget]
            floor = bound if floor is None else max(floor, bound)
    fitting = [score for _, score, _ in events if floor is None or score > floor]
    if not fitting:
        return [None, None, 0]
    threshold = min(fitting)
    flagged = [label for _, score, label in events if score >= threshold]
    return [threshold, sum(flagged) / len(flagged), len(flagged)]
