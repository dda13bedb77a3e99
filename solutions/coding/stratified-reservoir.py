def stratified_reservoir(stream: list[list], k: int, rand: list[float]) -> dict[str, list]:
    """Algorithm R per stratum, drawing from `rand` in stream order when a draw is needed."""
    reservoirs: dict[str, list] = {}
    seen: dict[str, int] = {}
    draws = iter(rand)
    for stratum, item in stream:
        slots = reservoirs.setdefault(stratum, [])
        n = seen.get(stratum, 0)  # items of this stratum before this one
        seen[stratum] = n + 1
        if n < k:
            slots.append(item)
        else:
            j = int(next(draws) * (n + 1))
            if j < k:
                slots[j] = item
    return reservoirs
