from collections import deque


class _Account:
    def __init__(self) -> None:
        self.events: deque[tuple[int, int]] = deque()  # (ts, amount) in the window, oldest first
        self.peaks: deque[tuple[int, int]] = deque()  # (ts, amount) with decreasing amounts
        self.total = 0
        self.pending: list[int] = []  # amounts at `pending_ts`, not yet visible
        self.pending_ts: int | None = None


class RollingFeatures:
    """[count, total, largest] of an account's earlier events in [ts - window, ts), as events stream in."""

    def __init__(self, window: int) -> None:
        self.window = window
        self.accounts: dict[str, _Account] = {}

    def push(self, account: str, ts: int, amount: int) -> list:
        acc = self.accounts.setdefault(account, _Account())
        if acc.pending and acc.pending_ts < ts:
            # Events of an earlier second become visible only once time has moved past them.
            for x in acc.pending:
                acc.events.append((acc.pending_ts, x))
                acc.total += x
                while acc.peaks and acc.peaks[-1][1] <= x:
                    acc.peaks.pop()
                acc.peaks.append((acc.pending_ts, x))
            acc.pending = []
        while acc.events and acc.events[0][0] < ts - self.window:
            acc.total -= acc.events.popleft()[1]
        while acc.peaks and acc.peaks[0][0] < ts - self.window:
            acc.peaks.popleft()
        features = [len(acc.events), acc.total, acc.peaks[0][1] if acc.peaks else None]
        acc.pending.append(amount)
        acc.pending_ts = ts
        return features
