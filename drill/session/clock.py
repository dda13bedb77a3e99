"""The countdown every question runs against."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

WARN_FRACTION = 0.2  # the last 20% of the budget shows in the warning colour


def fmt_seconds(seconds: float) -> str:
    s = int(abs(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


@dataclass
class Clock:
    """Time used on one question: wall time since it was shown, plus time carried over
    from an interrupted earlier sitting (resume)."""

    budget: float  # seconds
    carried: float = 0.0
    now: Callable[[], float] = time.monotonic
    started: float = field(default=0.0)
    stopped_at: float | None = None

    def __post_init__(self) -> None:
        self.started = self.now()

    @property
    def used(self) -> float:
        end = self.now() if self.stopped_at is None else self.stopped_at
        return self.carried + (end - self.started)

    def stop(self) -> None:
        """The answer is in: self-grading and reading feedback are not answer time."""
        if self.stopped_at is None:
            self.stopped_at = self.now()

    def resume(self) -> None:
        """A later stage of the question (a follow-up probe) is on screen: the clock runs
        again from where it stopped; the time it was stopped is not answer time."""
        if self.stopped_at is not None:
            self.started += self.now() - self.stopped_at
            self.stopped_at = None

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    @property
    def remaining(self) -> float:
        return self.budget - self.used

    @property
    def state(self) -> str:
        """ok, warn (last 20%) or over (overtime)."""
        rem = self.remaining
        if rem < 0:
            return "over"
        return "warn" if rem <= self.budget * WARN_FRACTION else "ok"

    def label(self) -> str:
        rem = self.remaining
        if rem < 0:
            return f"overtime +{fmt_seconds(-rem)}"
        return f"{fmt_seconds(rem)} left"


def due_phrase(due, now=None) -> str:
    """'today', 'tomorrow', 'in 5 days (Thu 3 Dec)': when a question comes back."""
    from datetime import UTC, datetime

    now = now or datetime.now(UTC)
    days = (due.astimezone(UTC).date() - now.astimezone(UTC).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days ({due.strftime('%a')} {due.day} {due.strftime('%b')})"
