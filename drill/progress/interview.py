"""The interview date: what `drill plan` stores, and the moments scheduling counts from.

It lives in the `settings` table under the key "interview", as JSON:

    {"date": "2026-12-15", "hours_per_day": 2.0, "rounds": ["coding", "sql"] | null,
     "set_at": "2026-11-20T18:00:00.000000Z"}

`rounds` null means every round in the catalogue. Days are the candidate's local days:
the interview starts at local midnight of its date (`Interview.starts`), and the last
`FINAL_DAYS` days before it are the final window (`Interview.window_start`), where
scheduling puts the lowest predicted recall on the day first (docs/scheduling.md).

The stored text comes from a database file, so it is read as hostile: bounded, every
field checked; anything off reads as "no interview" with the reason (`read`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from drill.errors import InputError

if TYPE_CHECKING:
    from drill.progress.store import Store

KEY = "interview"
FINAL_DAYS = 3  # the final window: the last three days before the interview
MAX_DAYS_AHEAD = 365  # a date further away than a year is refused
DEFAULT_HOURS = 2.0
MIN_HOURS, MAX_HOURS = 0.25, 16.0
MAX_STORED = 8192  # bytes of stored JSON read at most
MAX_ROUNDS = 100
MAX_ROUND_NAME = 100


def local_midnight(d: date, tz: tzinfo | None = None) -> datetime:
    """The start of local day `d` as a UTC datetime (`tz` None: the machine's zone,
    with its daylight-saving rules for that date)."""
    if tz is None:
        return datetime(d.year, d.month, d.day).astimezone().astimezone(UTC)
    return datetime(d.year, d.month, d.day, tzinfo=tz).astimezone(UTC)


def local_day(dt: datetime, tz: tzinfo | None = None) -> date:
    return (dt.astimezone(tz) if tz is not None else dt.astimezone()).date()


@dataclass(frozen=True)
class Interview:
    day: date
    hours_per_day: float = DEFAULT_HOURS
    rounds: tuple[str, ...] = ()  # empty: every round in the catalogue
    set_at: str | None = None
    tz: tzinfo | None = field(default=None, compare=False)  # None: the machine's zone

    def starts(self) -> datetime:
        """Local midnight of the interview day, in UTC: nothing is due after it."""
        return local_midnight(self.day, self.tz)

    def window_start(self) -> datetime:
        """Local midnight `FINAL_DAYS` days before the interview: the final window opens."""
        return local_midnight(self.day - timedelta(days=FINAL_DAYS), self.tz)

    def days_left(self, today: date) -> int:
        """Whole days from `today` to the interview day (1 the day before)."""
        return (self.day - today).days

    def active(self, now: datetime) -> bool:
        """Before the interview day begins: the date shapes scheduling only until then."""
        return now < self.starts()

    def to_json(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "hours_per_day": self.hours_per_day,
                "rounds": list(self.rounds) or None, "set_at": self.set_at}


# ---------------------------------------------------------------- checking input


def parse_day(text: str, today: date) -> date:
    """A date given on the command line: YYYY-MM-DD, after today, at most a year ahead."""
    shown = text.strip()[:40]
    try:
        d = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--interview wants a date like 2026-12-15, not '{shown}'") from None
    if d <= today:
        when = "today" if d == today else "in the past"
        raise InputError(f"the interview date {d.isoformat()} is {when}; give a later date "
                         f"(today is {today.isoformat()})")
    if (d - today).days > MAX_DAYS_AHEAD:
        raise InputError(f"the interview date {d.isoformat()} is more than a year away; "
                         f"drill plans up to {MAX_DAYS_AHEAD} days ahead")
    return d


def hours_ok(hours: float) -> bool:
    return math.isfinite(hours) and MIN_HOURS <= hours <= MAX_HOURS


def check_hours(hours: float) -> float:
    if not hours_ok(hours):
        raise InputError(f"--hours-per-day must be from {MIN_HOURS:g} to {MAX_HOURS:g}, not {hours:g}")
    return float(hours)


# ---------------------------------------------------------------- the store


def from_json(text: str) -> Interview:
    """Parse stored text; ValueError (with the reason) on anything not as written here."""
    if len(text) > MAX_STORED:
        raise ValueError("too long")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not an object")
    raw_day = data.get("date")
    if not isinstance(raw_day, str) or len(raw_day) != 10:
        raise ValueError("no date")
    day = date.fromisoformat(raw_day)
    hours = data.get("hours_per_day", DEFAULT_HOURS)
    if isinstance(hours, bool) or not isinstance(hours, int | float):
        raise ValueError("hours_per_day is not a number")
    if not hours_ok(float(hours)):
        raise ValueError(f"hours_per_day {hours} is out of range")
    rounds = data.get("rounds") or []
    if (not isinstance(rounds, list) or len(rounds) > MAX_ROUNDS
            or not all(isinstance(r, str) and 0 < len(r) <= MAX_ROUND_NAME for r in rounds)):
        raise ValueError("rounds is not a list of round names")
    set_at = data.get("set_at")
    if set_at is not None and not (isinstance(set_at, str) and len(set_at) <= 40):
        raise ValueError("set_at is not a time")
    return Interview(day, float(hours), tuple(dict.fromkeys(rounds)), set_at)


def read(store: Store, tz: tzinfo | None = None) -> tuple[Interview | None, str | None]:
    """(the stored interview, None), (None, None) when none is set, or (None, why) when
    the stored value is unreadable."""
    text = store.setting(KEY)
    if text is None:
        return None, None
    try:
        iv = from_json(text)
    except (ValueError, TypeError) as e:
        from drill.ui import term_safe

        # The reason can quote the stored text: bounded and made harmless for a terminal.
        why = term_safe(str(e)[:80], keep_newlines=False)
        return None, (f"the stored interview plan is unreadable ({why}); set it again with "
                      "`drill plan --interview DATE`, or `drill plan --clear`")
    return Interview(iv.day, iv.hours_per_day, iv.rounds, iv.set_at, tz), None


def load(store: Store, tz: tzinfo | None = None) -> Interview | None:
    """The stored interview, or None (none set, or unreadable: see `read`)."""
    return read(store, tz)[0]


def save(store: Store, iv: Interview, *, now: datetime | None = None) -> Interview:
    from drill.progress.store import ts

    now = now or datetime.now(UTC)
    stored = Interview(iv.day, iv.hours_per_day, iv.rounds, ts(now), iv.tz)
    store.set_setting(KEY, json.dumps(stored.to_json(), sort_keys=True), now=now)
    return stored


def clear(store: Store) -> bool:
    return store.delete_setting(KEY)
