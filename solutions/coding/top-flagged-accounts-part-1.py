import heapq


class AlertCounter:
    """Space-Saving summary: at most m counters, each an upper bound on its account's count."""

    def __init__(self, m: int) -> None:
        self.m = m
        self.counts: dict[str, int] = {}
        # (count, account) entries; one whose count is out of date is skipped when it surfaces.
        self.heap: list[tuple[int, str]] = []

    def add(self, account: str) -> None:
        if account in self.counts:
            count = self.counts[account] + 1
        elif len(self.counts) < self.m:
            count = 1
        else:
            while self.heap[0][0] != self.counts.get(self.heap[0][1]):
                heapq.heappop(self.heap)
            smallest, evicted = heapq.heappop(self.heap)
            del self.counts[evicted]
            # The newcomer inherits the evicted count: it may have been among those alerts.
            count = smallest + 1
        self.counts[account] = count
        heapq.heappush(self.heap, (count, account))

    def top(self, k: int) -> list[list]:
        best = heapq.nsmallest(k, self.counts.items(), key=lambda item: (-item[1], item[0]))
        return [[account, count] for account, count in best]
