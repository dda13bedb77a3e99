from collections import OrderedDict


class ScoreCache:
    """Least-recently-used cache of risk scores; `put` reports the account it evicts."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.scores: OrderedDict[str, float] = OrderedDict()

    def get(self, account: str) -> float | None:
        if account not in self.scores:
            return None
        self.scores.move_to_end(account)
        return self.scores[account]

    def put(self, account: str, score: float) -> str | None:
        if account in self.scores:
            # Assigning to an existing key keeps its position, so refresh recency explicitly.
            self.scores.move_to_end(account)
            self.scores[account] = score
            return None
        evicted = None
        if len(self.scores) == self.capacity:
            evicted, _ = self.scores.popitem(last=False)
        self.scores[account] = score
        return evicted
