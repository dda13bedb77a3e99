from collections import defaultdict
from itertools import groupby


def decayed_counterparty_scores(
    transfers: list[list], window: int, half_life: float
) -> list[float]:
    """Per transfer: sum over the account's distinct counterparties in (ts - window, ts]
    of 0.5 ** ((ts - last contact) / half_life)."""
    by_account: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for i, (account, counterparty, ts) in enumerate(transfers):
        by_account[account].append((ts, counterparty, i))
    out = [0.0] * len(transfers)
    for rows in by_account.values():
        rows.sort()
        last: dict[str, int] = {}  # counterparty -> latest contact still in the window
        score = 0.0  # the sum, valid at time `now`
        now = rows[0][0]
        lo = 0
        for ts, group in groupby(rows, key=lambda r: r[0]):
            batch = list(group)
            # Every term decays by the same factor, so the sum can be decayed at once.
            score *= 0.5 ** ((ts - now) / half_life)
            now = ts
            for _, counterparty, _ in batch:
                if counterparty in last:
                    score -= 0.5 ** ((ts - last[counterparty]) / half_life)
                last[counterparty] = ts
                score += 1.0
            while rows[lo][0] <= ts - window:
                old_ts, counterparty, _ = rows[lo]
                lo += 1
                # An older contact leaving the window matters only if it was the latest.
                if last.get(counterparty) == old_ts:
                    del last[counterparty]
                    score -= 0.5 ** ((ts - old_ts) / half_life)
            for _, _, i in batch:
                out[i] = score
    return out
