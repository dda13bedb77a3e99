import heapq
from collections import Counter


class MedianTracker:
    """Running median with removals: two heaps whose removed values are dropped lazily."""

    def __init__(self) -> None:
        self.low: list[float] = []  # the smaller half, negated (a max-heap)
        self.high: list[float] = []  # the larger half
        self.n_low = 0  # live values in each half (the heaps also hold removed ones)
        self.n_high = 0
        self.live: Counter[float] = Counter()
        self.gone_low: Counter[float] = Counter()  # removed but still physically in `low`
        self.gone_high: Counter[float] = Counter()

    def _prune(self) -> None:
        # Keep both tops live, so that comparisons and moves only ever see live values.
        while self.low and self.gone_low[-self.low[0]]:
            self.gone_low[-heapq.heappop(self.low)] -= 1
        while self.high and self.gone_high[self.high[0]]:
            self.gone_high[heapq.heappop(self.high)] -= 1

    def _rebalance(self) -> None:
        # `low` holds the extra value when the count is odd.
        if self.n_low > self.n_high + 1:
            heapq.heappush(self.high, -heapq.heappop(self.low))
            self.n_low -= 1
            self.n_high += 1
        elif self.n_high > self.n_low:
            heapq.heappush(self.low, -heapq.heappop(self.high))
            self.n_high -= 1
            self.n_low += 1
        self._prune()

    def add(self, amount: float) -> None:
        self.live[amount] += 1
        if self.n_low and amount <= -self.low[0]:
            heapq.heappush(self.low, -amount)
            self.n_low += 1
        else:
            heapq.heappush(self.high, amount)
            self.n_high += 1
        self._rebalance()

    def remove(self, amount: float) -> bool:
        if not self.live[amount]:
            return False
        self.live[amount] -= 1
        # Every live value of `low` is <= its top and every one of `high` is >= it,
        # so the top of `low` says which half holds a live copy of `amount`.
        if amount <= -self.low[0]:
            self.gone_low[amount] += 1
            self.n_low -= 1
        else:
            self.gone_high[amount] += 1
            self.n_high -= 1
        self._prune()
        self._rebalance()
        return True

    def median(self) -> float | None:
        if not self.n_low:
            return None
        if self.n_low > self.n_high:
            return float(-self.low[0])
        return (-self.low[0] + self.high[0]) / 2
