def window_kth_largest(amounts: list[int], w: int, k: int) -> list[int]:
    """The k-th largest amount of every window of w consecutive amounts, in O(n log n)."""
    values = sorted(set(amounts))
    rank = {v: i for i, v in enumerate(values, 1)}
    # A power-of-two Fenwick tree lets the descent below run without bounds checks.
    levels = len(values).bit_length()
    size = 1 << levels
    tree = [0] * (size + 1)  # tree[i] counts window amounts with rank in (i - lowbit(i), i]

    def add(i: int, delta: int) -> None:
        while i <= size:
            tree[i] += delta
            i += i & -i

    def kth_smallest(need: int) -> int:
        # Take the largest position whose prefix count is still below `need`; the answer is next.
        pos = 0
        for level in range(levels, -1, -1):
            nxt = pos + (1 << level)
            if tree[nxt] < need:
                pos = nxt
                need -= tree[nxt]
        return values[pos]

    out = []
    for i, amount in enumerate(amounts):
        add(rank[amount], 1)
        if i >= w:
            add(rank[amounts[i - w]], -1)
        if i >= w - 1:
            out.append(kth_smallest(w - k + 1))
    return out
