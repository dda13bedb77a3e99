from collections import deque


class RateLimiter:
    """Sliding-window limiter: at most `limit` allowed requests per user in any `window` seconds."""

    def __init__(self, limit: int, window: int) -> None:
        self.limit = limit
        self.window = window
        self.allowed: dict[str, deque[int]] = {}

    def allow(self, user: str, ts: int) -> bool:
        recent = self.allowed.setdefault(user, deque())
        # Timestamps arrive in order, so expired ones are always at the left end.
        while recent and recent[0] <= ts - self.window:
            recent.popleft()
        if len(recent) < self.limit:
            recent.append(ts)
            return True
        return False
