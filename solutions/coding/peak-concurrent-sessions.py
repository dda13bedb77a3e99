def peak_concurrency(sessions: list[list[int]]) -> list[int]:
    """[peak number of simultaneously open half-open sessions, earliest time it is reached]."""
    # At equal times the end (-1) sorts before the start (+1): [a, t) and [t, b) never overlap.
    events = sorted([(start, 1) for start, _ in sessions] + [(end, -1) for _, end in sessions])
    best = [0, -1]
    open_now = 0
    for time, delta in events:
        open_now += delta
        if open_now > best[0]:
            best = [open_now, time]
    return best
