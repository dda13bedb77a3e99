import heapq


def cheapest_route(pairs: list[list], source: str, target: str) -> list:
    """[total fee, asset route] of the best route: cheapest, then fewest hops, then smallest route."""
    edges: dict[str, list[tuple[str, int]]] = {}
    for src, dst, fee in pairs:
        edges.setdefault(src, []).append((dst, fee))

    # Labels (fee, route length, route) only grow when a conversion is appended, and appending
    # the same step to two labels keeps their order, so Dijkstra settles each asset on its best label.
    start = (source,)
    heap = [(0, len(start), start)]
    settled: set[str] = set()
    while heap:
        fee, _, route = heapq.heappop(heap)
        asset = route[-1]
        if asset in settled:
            continue
        settled.add(asset)
        if asset == target:
            return [fee, list(route)]
        for nxt, cost in edges.get(asset, []):
            if nxt not in settled:
                longer = (*route, nxt)
                heapq.heappush(heap, (fee + cost, len(longer), longer))
    return [-1, []]
