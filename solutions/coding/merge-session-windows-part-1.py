from bisect import bisect_left, bisect_right


class SessionWindows:
    """Activity windows kept merged while sessions arrive one at a time."""

    def __init__(self) -> None:
        # Windows are disjoint and sorted, so both their starts and their ends are sorted.
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.counts: list[int] = []

    def add(self, start: int, end: int) -> list[int]:
        # The windows sharing a second with [start, end] are those ending at or after
        # `start` and starting at or before `end`: a contiguous run lo..hi-1.
        lo = bisect_left(self.ends, start)
        hi = bisect_right(self.starts, end)
        if lo < hi:
            start = min(start, self.starts[lo])
            end = max(end, self.ends[hi - 1])
        count = sum(self.counts[lo:hi]) + 1
        self.starts[lo:hi] = [start]
        self.ends[lo:hi] = [end]
        self.counts[lo:hi] = [count]
        return [start, end, count]

    def window_at(self, t: int) -> list[int] | None:
        i = bisect_right(self.starts, t) - 1
        if i >= 0 and t <= self.ends[i]:
            return [self.starts[i], self.ends[i], self.counts[i]]
        return None

    def count(self) -> int:
        return len(self.starts)
