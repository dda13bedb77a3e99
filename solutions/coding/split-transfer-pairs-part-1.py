import heapq
from bisect import bisect_left, bisect_right, insort


class SplitPairMonitor:
    """Counts split-transfer pairs as transfers stream in, up to `lateness` seconds out of order."""

    def __init__(self, target: int, gap: int, lateness: int) -> None:
        self.target = target
        self.gap = gap
        self.lateness = lateness
        self.times: dict[int, list[int]] = {}  # amount -> sorted timestamps still able to pair
        self.expiry: list[tuple[int, int]] = []  # (ts, amount) of those, oldest first
        self.latest: int | None = None

    def push(self, ts: int, amount: int) -> int:
        if self.latest is None or ts > self.latest:
            self.latest = ts
            # Every later transfer has ts >= latest - lateness, so one older than
            # latest - lateness - gap can never be within `gap` of it again.
            horizon = ts - self.lateness - self.gap
            while self.expiry and self.expiry[0][0] < horizon:
                _, old = heapq.heappop(self.expiry)
                times = self.times[old]
                del times[0]
                if not times:
                    del self.times[old]
        partners = self.times.get(self.target - amount, [])
        pairs = bisect_right(partners, ts + self.gap) - bisect_left(partners, ts - self.gap)
        insort(self.times.setdefault(amount, []), ts)
        heapq.heappush(self.expiry, (ts, amount))
        return pairs

    def stored(self) -> int:
        return len(self.expiry)
