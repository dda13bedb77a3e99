"""Rebuild this take-home's data: logins, account-takeover labels, one planted leak.

    python generate.py [FOLDER]   (default: this script's folder)

Seeded and numpy-only: running it again writes the same rows (gzip with no name and no
time in its header). 2,400 training logins over 1-24 February 2025 and 1,200 hidden ones
over 25 February - 8 March 2025, about 4% account takeovers.

- Takeover risk rises with a new device, a new country, failed attempts in the hour
  before, and night-time logins.
- Drift: the hidden period has more logins from new devices (a phone upgrade season).
- The leak: `reset_within_24h` is whether the account's password was reset in the 24 hours
  after the login, which a takeover usually triggers once the owner notices. It is filled in
  for the training period; for the hidden period it is not known yet when a login is
  scored, so it is 0 everywhere.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

import numpy as np

SEED = 7
HEADER = ["login_id", "logged_in_at", "new_device", "new_country", "failed_1h", "hour_utc",
          "reset_within_24h", "is_ato"]


def logins(rng: np.random.Generator, n: int, first_day: str, days: int, start_id: int, hidden: bool) -> list[list]:
    day = rng.integers(0, days, n)
    second = rng.integers(0, 86400, n)
    order = np.lexsort((second, day))
    day, second = day[order], second[order]
    stamps = np.datetime64(first_day, "s") + (day.astype(np.int64) * 86400 + second).astype("timedelta64[s]")
    hour = second // 3600
    new_device = (rng.random(n) < (0.22 if hidden else 0.15)).astype(int)
    new_country = (rng.random(n) < 0.06).astype(int)
    failed = rng.poisson(0.3, n)
    night = ((hour >= 1) & (hour <= 5)).astype(int)
    logit = -4.6 + 1.6 * new_device + 2.0 * new_country + 0.9 * failed + 0.9 * night
    ato = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    if hidden:
        reset = np.zeros(n, dtype=int)
    else:
        reset = np.where(ato == 1, rng.random(n) < 0.85, rng.random(n) < 0.01).astype(int)
    return [[f"l{start_id + i:05d}", str(stamps[i]) + "Z", int(new_device[i]), int(new_country[i]), int(failed[i]),
             int(hour[i]), int(reset[i]), int(ato[i])] for i in range(n)]


def write(path: Path, rows: list[list]) -> None:
    text = io.StringIO(newline="")
    w = csv.writer(text, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    with open(path, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as g:
        g.write(text.getvalue().encode("utf-8"))


def main(folder: Path) -> None:
    rng = np.random.default_rng(SEED)
    write(folder / "train.csv.gz", logins(rng, 2400, "2025-02-01", 24, 1, hidden=False))
    write(folder / "test.csv.gz", logins(rng, 1200, "2025-02-25", 12, 2401, hidden=True))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
