from collections import deque


def exposure(transfers: list[list[str]], flagged: str, k: int) -> dict[str, int]:
    """Addresses reachable from `flagged` in at most k transfers, with their fewest hops."""
    out_edges: dict[str, list[str]] = {}
    for sender, receiver in transfers:
        out_edges.setdefault(sender, []).append(receiver)

    # Breadth-first order reaches every address first by a fewest-hop path.
    hops = {flagged: 0}
    queue = deque([flagged])
    while queue:
        address = queue.popleft()
        if hops[address] < k:
            for nxt in out_edges.get(address, []):
                if nxt not in hops:
                    hops[nxt] = hops[address] + 1
                    queue.append(nxt)
    del hops[flagged]
    return hops
