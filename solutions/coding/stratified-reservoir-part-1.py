import heapq


def weighted_reservoir(stream: list[list], k: int, rand: list[float]) -> dict[str, list]:
    """Per-tier weighted sample (Efraimidis-Spirakis A-Res): keep the k largest keys r ** (1 / w)."""
    heaps: dict[str, list[tuple[float, int, str]]] = {}
    for seq, ((tier, tx_id, weight), r) in enumerate(zip(stream, rand, strict=False)):
        key = r ** (1 / weight)
        heap = heaps.setdefault(tier, [])
        # Min-heap on (key, -seq): the root is the smallest key, the latest arrival among equals.
        entry = (key, -seq, tx_id)
        if len(heap) < k:
            heapq.heappush(heap, entry)
        elif key > heap[0][0]:
            heapq.heapreplace(heap, entry)
    return {tier: [tx for _, _, tx in sorted(heap, reverse=True)] for tier, heap in heaps.items()}
