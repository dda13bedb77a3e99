from collections import Counter


def count_split_pairs(transfers: list[list[int]], target: int, gap: int) -> int:
    """Pairs i < j with amounts summing to `target` and at most `gap` seconds apart."""
    in_window: Counter[int] = Counter()
    left = 0
    pairs = 0
    for ts, amount in transfers:
        # The left pointer drops transfers too old to pair with this one or any later one.
        while transfers[left][0] < ts - gap:
            in_window[transfers[left][1]] -= 1
            left += 1
        pairs += in_window[target - amount]
        in_window[amount] += 1
    return pairs
