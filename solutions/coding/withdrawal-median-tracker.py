import heapq


class MedianTracker:
    """Running median of a stream in O(log n) per add and O(1) per query."""

    def __init__(self) -> None:
        self.low: list[float] = []  # the smaller half, negated to make a max-heap
        self.high: list[float] = []  # the larger half

    def add(self, amount: float) -> None:
        # Route through `low` so every element of `low` stays <= every element of `high`,
        # then rebalance so `low` holds the extra element when the count is odd.
        heapq.heappush(self.low, -amount)
        heapq.heappush(self.high, -heapq.heappop(self.low))
        if len(self.high) > len(self.low):
            heapq.heappush(self.low, -heapq.heappop(self.high))

    def median(self) -> float | None:
        if not self.low:
            return None
        if len(self.low) > len(self.high):
            return float(-self.low[0])
        return (-self.low[0] + self.high[0]) / 2
