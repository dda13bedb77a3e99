import heapq
from collections import Counter


def top_flagged(alerts: list[str], k: int) -> list[list]:
    """The k most-alerted accounts as [account, count], most alerts first, ties by account id."""
    counts = Counter(alerts)
    # nsmallest keeps a heap of size k: O(n log k) instead of sorting every account.
    best = heapq.nsmallest(k, counts.items(), key=lambda item: (-item[1], item[0]))
    return [[account, count] for account, count in best]
