"""Rebuild train.csv.gz and test.csv.gz for the account-takeover take-home.

Synthetic successful logins to a crypto exchange, February to May 2025. Everything here
is invented; only the shape is meant to be realistic.

- Accounts log in at rates spread over two orders of magnitude, mostly from their usual
  device and country; people do change phones, travel and use VPNs.
- Confirmed takeovers are rare (well under 1% of logins in training). Three patterns:
  credential stuffing from hosting and VPN addresses that hammer many accounts; phishing
  kits that relay the password and one-time code from residential proxies; and, from
  April, SIM swaps: the attacker takes over the victim's phone number, resets the password
  by SMS and logs in from a phone in the victim's own country. SIM swaps are a trickle in
  training and nearly half of the takeovers in the hidden month.
- Labels are the takeovers confirmed by the extract date (2 May 2025); victims report days
  to weeks later, so the last weeks of training are under-labelled.
- `case_queue` comes from the case tool, joined when the file was prepared (15 June
  2025): by then nearly every takeover of the training period had been worked in the
  account-security queue. The hidden month was prepared the day after it ended, before
  most victims had reported anything, and after the passkey roll-out began opening an
  account-security case for every login that enrolled a passkey.

Deterministic: the same numpy gives the same bytes (gzip with mtime 0, fixed formats).
Usage: python generate.py [--out DIR]
"""

from __future__ import annotations

import argparse
import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20250203
T0 = pd.Timestamp("2025-02-01")
T_SPLIT = 89.0     # 2025-05-01
T_END = 120.0      # 2025-06-01 (exclusive)
TRAIN_EXTRACT = 90.0    # training labels as of 2025-05-02
TRAIN_SNAPSHOT = 134.0  # case tool joined to the training rows on 2025-06-15
TEST_EXTRACT = 121.0
SIM_SWAP_START = 62.0  # 2025-04-04

COUNTRIES = np.array(["DE", "GB", "FR", "ES", "IT", "NL", "PL", "TR", "BR", "MX", "IN", "ID", "PH", "ZA"])
COUNTRY_W = np.array([13, 13, 10, 8, 7, 5, 6, 8, 9, 5, 6, 4, 3, 3], dtype=float)
UTC_OFFSET = dict(zip(COUNTRIES, [1, 0, 1, 1, 1, 1, 1, 3, -3, -6, 5, 7, 8, 2], strict=True))
TWO_FA = np.array(["none", "sms", "totp", "passkey"])
DEVICES = np.array(["ios", "android", "web"])
BROWSERS = np.array(["chrome", "safari", "firefox", "edge"])
IP_TYPES = np.array(["residential", "mobile", "vpn", "hosting", "tor"])


def _pick(rng: np.random.Generator, values: np.ndarray, weights, size: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return values[rng.choice(len(values), size=size, p=w / w.sum())]


def _lognormal(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    return np.exp(rng.normal(np.log(median), sigma, size))


def accounts(rng: np.random.Generator, n: int) -> pd.DataFrame:
    signup = -np.minimum(_lognormal(rng, 300, 1.1, n), 2500)
    new = rng.random(n) < 0.15
    signup = np.where(new, rng.uniform(-10, T_END, n), signup)
    return pd.DataFrame({
        "signup": signup,
        "country": _pick(rng, COUNTRIES, COUNTRY_W, n),
        "two_fa": _pick(rng, TWO_FA, [22, 38, 34, 6], n),
        "device": _pick(rng, DEVICES, [32, 40, 28], n),
        "browser": _pick(rng, BROWSERS, [60, 22, 10, 8], n),
        "balance": _lognormal(rng, 600, 2.0, n),
        "rate": np.minimum(_lognormal(rng, 0.03, 1.2, n), 4.0),
        "vpn_user": rng.random(n) < 0.08,
        "traveller": rng.random(n) < 0.1,
    })


def legit_logins(rng: np.random.Generator, acc: pd.DataFrame) -> pd.DataFrame:
    start = np.maximum(acc["signup"].to_numpy(), 0.0)
    span = np.maximum(T_END - start, 0)
    n_l = rng.poisson(acc["rate"].to_numpy() * span)
    idx = np.repeat(np.arange(len(acc)), n_l)
    n = len(idx)
    a = acc.iloc[idx]
    t = start[idx] + rng.random(n) * span[idx]
    # People log in during their waking hours, local time.
    tz = np.array([UTC_OFFSET[c] for c in a["country"].to_numpy()])
    local = np.where(rng.random(n) < 0.9, rng.normal(15.5, 4.5, n), rng.uniform(0, 24, n)) % 24
    t = np.floor(t) + ((local - tz) % 24) / 24.0
    device = np.where(rng.random(n) < 0.86, a["device"].to_numpy(), _pick(rng, DEVICES, [32, 40, 28], n))
    vpn = a["vpn_user"].to_numpy() & (rng.random(n) < 0.7)
    abroad = a["traveller"].to_numpy() & (rng.random(n) < 0.25)
    ip_type = np.where(device == "web", _pick(rng, IP_TYPES, [86, 10, 0, 3.5, 0.5], n),
                       _pick(rng, IP_TYPES, [45, 55, 0, 0, 0], n))
    ip_type = np.where(vpn, np.where(rng.random(n) < 0.8, "vpn", "hosting"), ip_type)
    home = a["country"].to_numpy()
    ip_country = np.where(vpn | abroad | (rng.random(n) < 0.01), _pick(rng, COUNTRIES, COUNTRY_W, n), home)
    reset = rng.random(n) < np.where(a["two_fa"].to_numpy() == "sms", 0.035, 0.02)
    return pd.DataFrame({
        "t": t, "account": idx, "device": device,
        "browser": np.where(device == "web", a["browser"].to_numpy(), "app"),
        "new_device": rng.random(n) < np.where(device == a["device"].to_numpy(), 0.06, 0.35),
        "ip_type": ip_type, "ip_country": ip_country,
        "failed_1h": np.where(rng.random(n) < 0.05, rng.integers(1, 4, n), 0),
        # Shared addresses (carrier NAT, VPN exits, offices) see other people's typos.
        "ip_failed_1h": np.where(ip_type == "mobile", rng.poisson(1.5, n), 0)
        + np.where(np.isin(ip_type, ["vpn", "hosting", "tor"]) & (rng.random(n) < 0.6),
                   np.floor(_lognormal(rng, 8, 1.2, n)), 0)
        + np.where(rng.random(n) < 0.03, np.floor(_lognormal(rng, 4, 1.0, n)), 0),
        "reset_24h": reset,
        "recovery": reset & (rng.random(n) < 0.35),
        "passkey_enrolled": np.zeros(n, dtype=bool),
        "kind": "legit",
    })


def attacks(rng: np.random.Generator, acc: pd.DataFrame, kind: str, n: int,
            t_from: float, t_to: float) -> pd.DataFrame:
    if kind == "sim_swap":
        # Victims with SMS codes and a balance worth the trouble.
        weights = (acc["two_fa"].to_numpy() == "sms") * np.sqrt(acc["balance"].to_numpy())
        t = t_from + (t_to - t_from) * np.sqrt(rng.random(n))  # the wave builds up
    else:
        weights = np.where(acc["two_fa"].to_numpy() == "none", 3.0,
                           np.where(acc["two_fa"].to_numpy() == "sms", 1.0, 0.25))
        if kind == "phishing":
            weights = weights * np.sqrt(acc["balance"].to_numpy())
        t = rng.uniform(t_from, t_to, n)
    ok = acc["signup"].to_numpy() < t_from - 5
    weights = weights * ok
    victims = rng.choice(len(acc), size=n, replace=False, p=weights / weights.sum())
    a = acc.iloc[victims]
    home = a["country"].to_numpy()
    if kind == "stuffing":
        device = np.where(rng.random(n) < 0.9, "web", "android")
        ip_type = _pick(rng, IP_TYPES, [14, 4, 37, 40, 5], n)
        ip_country = np.where(rng.random(n) < 0.3, home, _pick(rng, COUNTRIES, np.ones(len(COUNTRIES)), n))
        browser = np.where(device == "web", _pick(rng, np.append(BROWSERS, "headless"), [55, 5, 8, 2, 30], n), "app")
        failed = rng.choice([0, 0, 0, 1, 2], size=n)
        ip_failed = np.floor(_lognormal(rng, 25, 1.2, n))
        reset = rng.random(n) < 0.02
        recovery = reset & (rng.random(n) < 0.3)
    elif kind == "phishing":
        device = np.where(rng.random(n) < 0.8, "web", "ios")
        ip_type = _pick(rng, IP_TYPES, [55, 10, 25, 10, 0], n)
        ip_country = np.where(rng.random(n) < 0.55, home, _pick(rng, COUNTRIES, COUNTRY_W, n))
        browser = np.where(device == "web", _pick(rng, BROWSERS, [75, 15, 5, 5], n), "app")
        failed = rng.choice([0, 0, 0, 1], size=n)
        ip_failed = np.where(rng.random(n) < 0.25, np.floor(_lognormal(rng, 5, 1.0, n)), 0)
        reset = rng.random(n) < 0.15
        recovery = reset & (rng.random(n) < 0.3)
    else:
        device = np.where(rng.random(n) < 0.55, "android", np.where(rng.random(n) < 0.7, "ios", "web"))
        ip_type = np.where(device == "web", "residential", _pick(rng, IP_TYPES, [25, 75, 0, 0, 0], n))
        ip_country = np.where(rng.random(n) < 0.95, home, _pick(rng, COUNTRIES, COUNTRY_W, n))
        browser = np.where(device == "web", "chrome", "app")
        failed = rng.choice([0, 0, 1], size=n)
        ip_failed = np.where(ip_type == "mobile", rng.poisson(1.5, n), 0)
        reset = rng.random(n) < 0.75
        recovery = reset & (rng.random(n) < 0.7)
    return pd.DataFrame({
        "t": t, "account": victims, "device": device, "browser": browser,
        "new_device": rng.random(n) < 0.85, "ip_type": ip_type, "ip_country": ip_country,
        "failed_1h": failed, "ip_failed_1h": ip_failed, "reset_24h": reset,
        "recovery": recovery, "passkey_enrolled": np.zeros(n, dtype=bool), "kind": kind,
    })


def camouflage(rng: np.random.Generator, df: pd.DataFrame, share: float) -> None:
    """Some attackers use the victim's own country and a clean residential address."""
    rows = np.flatnonzero((df["kind"].to_numpy() != "legit") & (rng.random(len(df)) < share))
    donors = rng.choice(np.flatnonzero(df["kind"].to_numpy() == "legit"), size=len(rows))
    for col in ("ip_type", "ip_failed_1h", "failed_1h", "browser", "device", "new_device"):
        df.loc[rows, col] = df.loc[donors, col].to_numpy()
    df.loc[rows, "ip_country"] = df.loc[rows, "home"].to_numpy()


def build(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    acc = accounts(rng, 8000)
    parts = [
        legit_logins(rng, acc),
        attacks(rng, acc, "stuffing", 330, 0, T_END),
        attacks(rng, acc, "phishing", 150, 0, T_END),
        attacks(rng, acc, "sim_swap", 110, SIM_SWAP_START, T_END),
    ]
    df = pd.concat(parts, ignore_index=True)
    df = df[(df["t"] >= 0) & (df["t"] < T_END)].reset_index(drop=True)
    a = acc.iloc[df["account"].to_numpy()].reset_index(drop=True)
    df["home"] = a["country"].to_numpy()
    camouflage(rng, df, 0.35)
    df = df.sort_values(["account", "t"], kind="stable").reset_index(drop=True)
    a = acc.iloc[df["account"].to_numpy()].reset_index(drop=True)
    n = len(df)
    t = df["t"].to_numpy()
    kind = df["kind"].to_numpy()
    ato = kind != "legit"
    test = t >= T_SPLIT

    # Gaps and distances to the account's previous login (first login in the data: missing).
    same = np.r_[False, df["account"].to_numpy()[1:] == df["account"].to_numpy()[:-1]]
    prev_t = np.r_[np.nan, t[:-1]]
    hours_since = np.where(same, (t - prev_t) * 24, np.nan)
    prev_country = np.r_[[""], df["ip_country"].to_numpy()[:-1]]
    moved = same & (prev_country != df["ip_country"].to_numpy())
    km = np.where(moved, _lognormal(rng, 1800, 0.8, n),
                  np.where(df["ip_type"].to_numpy() == "mobile", _lognormal(rng, 8, 1.4, n), _lognormal(rng, 3, 1.6, n)))
    km = np.where(ato & ~moved & (kind == "sim_swap"), _lognormal(rng, 120, 1.0, n), km)
    km = np.where(same, np.minimum(km, 19000.0), np.nan)

    # Passkey roll-out (from 1 May): logins that enrolled one, mostly careful app users.
    eligible = test & ~ato & (a["two_fa"].to_numpy() != "none") & (df["device"].to_numpy() != "web")
    enrolled = eligible & (rng.random(n) < 0.13)
    # Setting up a new phone is when the app offers a passkey.
    new_device = df["new_device"].to_numpy() | (enrolled & (rng.random(n) < 0.7))

    # Victims report late; training labels are the reports received by the extract date.
    reported_at = t + np.where(ato, _lognormal(rng, 22, 0.5, n), np.inf)
    known = ato & (reported_at <= np.where(test, TEST_EXTRACT, TRAIN_EXTRACT))
    # Case queue as of the case-tool snapshot joined in (later than the labels for training).
    in_case = ato & (reported_at <= np.where(test, TEST_EXTRACT, TRAIN_SNAPSHOT))
    u = rng.random(n)
    queue = np.full(n, "", dtype=object)
    troubled = df["reset_24h"].to_numpy() | (df["failed_1h"].to_numpy() > 0)
    queue[~ato & (u < np.where(troubled, 0.12, 0.015))] = "support"
    queue[~ato & (u > 0.99)] = "compliance"
    queue[~ato & (u > 0.9975)] = "account-security"
    queue[in_case & (u < 0.88)] = "account-security"
    queue[in_case & (u >= 0.88) & (u < 0.95)] = "support"
    queue[ato & ~in_case & (u < 0.08)] = "support"
    queue[enrolled] = "account-security"

    # Training labels: takeovers confirmed by the extract date. Hidden month: matured.
    label = np.where(test, ato, known).astype(int)
    tz = np.array([UTC_OFFSET[c] for c in a["country"].to_numpy()])
    when = T0 + pd.to_timedelta(np.round(t * 86400), unit="s")
    local_hour = (when.hour.to_numpy() + tz) % 24
    account_ids = rng.permutation(np.arange(200000, 200000 + len(acc)))
    out = pd.DataFrame({
        "login_at": when.strftime("%Y-%m-%d %H:%M:%S"),
        "account_id": [f"u{i}" for i in account_ids[df["account"].to_numpy()]],
        "account_age_days": np.round(np.maximum(t - a["signup"].to_numpy(), 0), 2),
        "account_country": a["country"].to_numpy(),
        "two_fa_method": a["two_fa"].to_numpy(),
        "balance_usd": np.round(a["balance"].to_numpy() * _lognormal(rng, 1.0, 0.15, n), 2),
        "device_type": df["device"].to_numpy(),
        "client": df["browser"].to_numpy(),
        "new_device": new_device.astype(int),
        "ip_type": df["ip_type"].to_numpy(),
        "ip_country": df["ip_country"].to_numpy(),
        "km_from_prev_login": np.round(km, 1),
        "hours_since_prev_login": np.round(hours_since, 2),
        "local_hour": local_hour,
        "failed_attempts_1h": df["failed_1h"].to_numpy().astype(int),
        "ip_failed_logins_1h": df["ip_failed_1h"].to_numpy().astype(int),
        "password_reset_24h": df["reset_24h"].to_numpy().astype(int),
        "recovery_flow": df["recovery"].to_numpy().astype(int),
        "case_queue": queue,
        "is_ato": label,
    })
    order = np.argsort(t, kind="stable")
    out = out.iloc[order].reset_index(drop=True)
    test = test[order]
    out.insert(0, "login_id", [f"lg{i:08d}" for i in range(40000001, 40000001 + n)])
    return out[~test].reset_index(drop=True), out[test].reset_index(drop=True)


def write_csv_gz(frame: pd.DataFrame, path: Path) -> None:
    """CSV with fixed formatting, gzip without a timestamp or file name: same rows, same bytes."""
    text = frame.to_csv(index=False, lineterminator="\n", float_format="%.10g")
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(raw.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    train, test = build()
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv_gz(train, args.out / "train.csv.gz")
    write_csv_gz(test, args.out / "test.csv.gz")
    print(f"train: {len(train)} rows, {train['is_ato'].mean():.2%} labelled takeovers; "
          f"test: {len(test)} rows, {test['is_ato'].mean():.2%} takeovers")


if __name__ == "__main__":
    main()
