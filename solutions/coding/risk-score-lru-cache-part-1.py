from collections import OrderedDict


class ScoreCache:
    """LRU cache of risk scores whose entries also expire `ttl` seconds after they were written."""

    def __init__(self, capacity: int, ttl: int) -> None:
        self.capacity = capacity
        self.ttl = ttl
        self.scores: OrderedDict[str, float] = OrderedDict()  # least recently used first
        self.written: OrderedDict[str, int] = OrderedDict()  # oldest write first

    def _expire(self, now: int) -> None:
        # `now` never decreases, so the oldest writes expire first.
        while self.written:
            account, at = next(iter(self.written.items()))
            if at + self.ttl > now:
                break
            del self.written[account]
            del self.scores[account]

    def get(self, account: str, now: int) -> float | None:
        self._expire(now)
        if account not in self.scores:
            return None
        self.scores.move_to_end(account)
        return self.scores[account]

    def put(self, account: str, score: float, now: int) -> str | None:
        self._expire(now)
        evicted = None
        if account in self.scores:
            self.scores.move_to_end(account)
            self.written.move_to_end(account)
        elif len(self.scores) == self.capacity:
            evicted, _ = self.scores.popitem(last=False)
            del self.written[evicted]
        self.scores[account] = score
        self.written[account] = now
        return evicted
