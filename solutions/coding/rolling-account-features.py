import heapq
from collections import defaultdict


def rolling_features(events: list[list], window: int) -> list[list]:
    """Per event [count, total, max amount] of the same account's events in [ts - window, ts)."""
    by_account: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for i, (account, ts, amount) in enumerate(events):
        by_account[account].append((ts, amount, i))
    out: list[list] = [[] for _ in events]
    for rows in by_account.values():
        rows.sort()
        lo = hi = 0  # rows[lo:hi] is the current window
        total = 0
        heap: list[tuple[int, int]] = []  # (-amount, ts); stale tops are dropped lazily
        for ts, _, i in rows:
            # Only strictly earlier events enter: events sharing this timestamp
            # (including this one) would leak the present into its own features.
            while rows[hi][0] < ts:
                total += rows[hi][1]
                heapq.heappush(heap, (-rows[hi][1], rows[hi][0]))
                hi += 1
            while rows[lo][0] < ts - window:
                total -= rows[lo][1]
                lo += 1
            while heap and heap[0][1] < ts - window:
                heapq.heappop(heap)
            out[i] = [hi - lo, total, -heap[0][0] if heap else None]
    return out
