from collections import deque


class ValueLimiter:
    """Per-user cap on the total value of allowed withdrawals in any `window` seconds."""

    def __init__(self, cap: int, window: int) -> None:
        self.cap = cap
        self.window = window
        self.recent: dict[str, deque[tuple[int, int]]] = {}  # user -> (ts, amount), oldest first
        self.spent: dict[str, int] = {}

    def _slide(self, user: str, ts: int) -> deque[tuple[int, int]]:
        recent = self.recent.setdefault(user, deque())
        while recent and recent[0][0] <= ts - self.window:
            self.spent[user] -= recent.popleft()[1]
        return recent

    def allow(self, user: str, ts: int, amount: int) -> bool:
        recent = self._slide(user, ts)
        spent = self.spent.get(user, 0)
        if spent + amount > self.cap:
            return False
        recent.append((ts, amount))
        self.spent[user] = spent + amount
        return True

    def remaining(self, user: str, ts: int) -> int:
        self._slide(user, ts)
        return self.cap - self.spent.get(user, 0)
