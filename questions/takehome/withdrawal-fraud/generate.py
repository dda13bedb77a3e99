"""Rebuild train.csv.gz and test.csv.gz for the withdrawal-fraud take-home.

Synthetic crypto withdrawals from an exchange, January to May 2025. Everything here is
invented; only the shape is meant to be realistic.

- Legitimate accounts withdraw at rates spread over two orders of magnitude; many new
  accounts buy with a card and move the coins to their own wallet within the hour, which
  is exactly what card fraud looks like too.
- Three fraud patterns: stolen-card bust-outs on fresh accounts; cash-outs from taken-over
  old accounts; and, from mid-March, mule accounts that receive bank or P2P money and send
  it in USDT on Tron to shared collector addresses. The mule pattern is rare in training
  and two fifths of the fraud in the hidden month.
- Labels are delayed: a chargeback takes weeks, a bank recall longer. The training file's
  labels are what was known on its extract date (2 May 2025), so its last weeks are
  under-labelled. The hidden month's labels were taken once matured (end of September).
- `account_status` and `dest_blocklisted` are read from the account and address tables
  on the extract date, i.e. after the label. In training they mostly reflect confirmed
  fraud; the hidden month's extract was taken the day after it ended, before most of its
  fraud was confirmed, and right after a compliance sweep froze old accounts with
  lapsed identity documents.

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

SEED = 20250115
DAY = 86400.0
T0 = pd.Timestamp("2025-01-01")  # start of training
T_SPLIT = 120.0                  # 2025-05-01: the hidden month starts
T_END = 151.0                    # 2025-06-01
TRAIN_EXTRACT = 121.0            # labels and status in train.csv as of 2025-05-02
TEST_EXTRACT = 152.0             # status in test.csv as of 2025-06-02 (labels matured later)
MULE_START = 68.0                # 2025-03-10

COUNTRIES = np.array(["DE", "FR", "ES", "IT", "NL", "PL", "GB", "TR", "BR", "AR", "NG", "VN", "PH", "UA"])
COUNTRY_W = np.array([15, 11, 9, 8, 5, 6, 12, 7, 8, 4, 3, 5, 3, 4], dtype=float)
ASSETS = np.array(["BTC", "ETH", "USDT_TRC20", "USDT_ERC20", "SOL", "XRP", "LTC"])
DEVICES = np.array(["ios", "android", "web", "api"])
FUNDING = np.array(["card", "bank_transfer", "crypto", "p2p"])


def _pick(rng: np.random.Generator, values: np.ndarray, weights, size: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return values[rng.choice(len(values), size=size, p=w / w.sum())]


def _lognormal(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    return np.exp(rng.normal(np.log(median), sigma, size))


def _hours(rng: np.random.Generator, size: int, night: float) -> np.ndarray:
    """Hour of day in days: a daytime bump, plus a `night` share spread over 0-6 UTC."""
    day = np.clip(rng.normal(14.0, 4.0, size), 0, 23.99)
    late = rng.uniform(0, 6, size)
    return np.where(rng.random(size) < night, late, day) / 24.0


# ---------------------------------------------------------------- accounts


def legit_accounts(rng: np.random.Generator, n: int) -> pd.DataFrame:
    old = rng.random(n) < 0.62
    signup = np.where(old, -np.minimum(_lognormal(rng, 420, 0.9, n), 2900),
                      rng.uniform(0, T_END, n))
    kyc = _pick(rng, np.array([1, 2, 3]), [30, 55, 15], n)
    return pd.DataFrame({
        "signup": signup,
        "country": _pick(rng, COUNTRIES, COUNTRY_W, n),
        "kyc_level": kyc,
        "device": _pick(rng, DEVICES, [30, 36, 30, 4], n),
        # Withdrawals per day: most accounts rarely, a few (traders, API users) often.
        "rate": np.minimum(_lognormal(rng, 0.0065, 1.15, n), 0.6),
        "buyer": rng.random(n) < 0.3,  # buys with a card and moves coins out at once
    })


def legit_withdrawals(rng: np.random.Generator, acc: pd.DataFrame) -> pd.DataFrame:
    start = np.maximum(acc["signup"].to_numpy(), 0.0)
    span = T_END - start
    # Activity grows ~15% into the hidden month (a bull market brings new users).
    n_w = rng.poisson(acc["rate"].to_numpy() * span * 1.05)
    idx = np.repeat(np.arange(len(acc)), n_w)
    n = len(idx)
    a = acc.iloc[idx].reset_index(drop=True)
    fresh = (a["signup"].to_numpy() > 0) & (rng.random(n) < np.where(a["buyer"].to_numpy(), 0.7, 0.3))
    # New accounts often withdraw within days of sign-up; the rest spread over the window.
    t_day = np.where(
        fresh, a["signup"].to_numpy() + _lognormal(rng, 1.2, 1.3, n),
        start[idx] + rng.random(n) * span[idx])
    keep = t_day < T_END
    growth = np.where(t_day >= T_SPLIT, 1.0, 0.87)  # thin training rows to make the growth
    keep &= rng.random(n) < growth
    a, t_day = a[keep].reset_index(drop=True), t_day[keep]
    n = len(a)
    t = np.floor(t_day) + _hours(rng, n, 0.08)
    t = np.where(t < a["signup"].to_numpy(), a["signup"].to_numpy() + 0.01, t)
    buyer = a["buyer"].to_numpy() & (rng.random(n) < 0.7)
    acct_age = t - a["signup"].to_numpy()
    device = np.where(rng.random(n) < 0.85, a["device"].to_numpy(), _pick(rng, DEVICES, [30, 36, 30, 4], n))
    asset_w_train = [28, 20, 15, 10, 10, 9, 8]
    asset_w_test = [26, 19, 19, 9, 11, 9, 7]
    asset = np.where(t >= T_SPLIT, _pick(rng, ASSETS, asset_w_test, n), _pick(rng, ASSETS, asset_w_train, n))
    funding = np.where(buyer, _pick(rng, FUNDING, [80, 15, 0, 5], n), _pick(rng, FUNDING, [14, 40, 40, 6], n))
    amount = _lognormal(rng, 230, 1.45, n) * np.where(device == "api", 4.0, 1.0)
    since_dep = np.where(buyer, _lognormal(rng, 35, 1.3, n), _lognormal(rng, 60 * 24 * 4, 1.6, n))
    # Withdrawals often exceed the last day's deposits (older balance goes out too).
    dep_ratio = np.where(rng.random(n) < 0.6, np.clip(rng.beta(8, 1.6, n), 0.02, 1.0), _lognormal(rng, 2.5, 1.0, n))
    dep_ratio = np.where(buyer, np.clip(rng.beta(12, 1.3, n), 0.05, 1.0), dep_ratio)
    new_addr_p = np.where(acct_age < 14, 0.8, 0.22)
    new_addr = rng.random(n) < new_addr_p
    service = rng.random(n) < 0.12  # a merchant or payment processor: many accounts pay it
    prior_accts = np.where(service, np.floor(_lognormal(rng, 25, 1.3, n)),
                           (rng.random(n) < 0.08) * rng.integers(1, 4, n))
    device_days = np.minimum(acct_age, np.where(rng.random(n) < 0.12, _lognormal(rng, 0.5, 1.5, n), _lognormal(rng, 200, 1.2, n)))
    return pd.DataFrame({
        "t": t, "account": idx[keep], "acct_age": acct_age,
        "country": a["country"].to_numpy(),
        "ip_country": np.where(rng.random(n) < 0.93, a["country"].to_numpy(), _pick(rng, COUNTRIES, COUNTRY_W, n)),
        "kyc_level": a["kyc_level"].to_numpy(), "device": device, "asset": asset,
        "amount": amount, "funding": funding, "since_dep": since_dep, "dep_ratio": dep_ratio,
        "card_mismatch": np.where(funding == "card", (rng.random(n) < np.where(buyer, 0.07, 0.03)).astype(float), np.nan),
        "new_addr": new_addr, "prior_accts": prior_accts, "device_days": device_days,
        "security_change": rng.random(n) < 0.02,
        "kind": "legit",
    })


# ---------------------------------------------------------------- fraud


def bust_outs(rng: np.random.Generator, n_acc: int, t_from: float, t_to: float, first_id: int) -> pd.DataFrame:
    """Stolen cards on fresh accounts: buy, then withdraw everything within hours."""
    signup = rng.uniform(t_from, t_to, n_acc)
    per = rng.choice([1, 2, 3], size=n_acc, p=[0.55, 0.3, 0.15])
    idx = np.repeat(np.arange(n_acc), per)
    n = len(idx)
    first = signup + _lognormal(rng, 0.9, 1.2, n_acc)
    first = np.maximum(np.floor(first) + _hours(rng, n_acc, 0.2), signup + 0.01)
    t = first[idx] + rng.exponential(0.08, n) * (np.arange(n) - np.searchsorted(idx, idx))
    country = _pick(rng, COUNTRIES, [10, 8, 7, 6, 4, 6, 12, 9, 10, 6, 6, 6, 4, 6], n_acc)[idx]
    funding = _pick(rng, FUNDING, [82, 8, 0, 10], n)
    return pd.DataFrame({
        "t": t, "account": first_id + idx, "acct_age": t - signup[idx], "country": country,
        "ip_country": np.where(rng.random(n) < 0.78, country, _pick(rng, COUNTRIES, COUNTRY_W, n)),
        "kyc_level": np.where(rng.random(n_acc) < 0.7, 1, 2)[idx],
        "device": _pick(rng, DEVICES, [18, 34, 44, 4], n_acc)[idx],
        "asset": _pick(rng, ASSETS, [25, 10, 26, 4, 6, 12, 17], n),
        "amount": np.minimum(_lognormal(rng, 420, 1.0, n), 6000),
        "funding": funding, "since_dep": _lognormal(rng, 30, 1.1, n),
        "dep_ratio": np.clip(rng.beta(12, 1.2, n), 0.3, 1.0),
        "card_mismatch": np.where(funding == "card", (rng.random(n) < 0.22).astype(float), np.nan),
        "new_addr": rng.random(n) < 0.9,
        "prior_accts": np.where(rng.random(n) < 0.3, rng.integers(1, 7, n), 0),
        "device_days": np.minimum(t - signup[idx], _lognormal(rng, 0.3, 1.0, n)),
        "security_change": rng.random(n) < 0.05,
        "kind": "bust_out",
    })


def takeovers(rng: np.random.Generator, acc: pd.DataFrame, n_acc: int,
              t_from: float, t_to: float) -> pd.DataFrame:
    """Old accounts taken over: new device, security settings changed, balance sent out."""
    old = np.flatnonzero(acc["signup"].to_numpy() < -60)
    victims = rng.choice(old, size=n_acc, replace=False)
    per = rng.choice([1, 2], size=n_acc, p=[0.7, 0.3])
    idx = np.repeat(np.arange(n_acc), per)
    n = len(idx)
    start = np.floor(rng.uniform(t_from, t_to, n_acc)) + _hours(rng, n_acc, 0.2)
    t = start[idx] + rng.exponential(0.05, n)
    a = acc.iloc[victims[idx]]
    return pd.DataFrame({
        "t": t, "account": victims[idx], "acct_age": t - a["signup"].to_numpy(),
        "country": a["country"].to_numpy(),
        "ip_country": np.where(rng.random(n) < 0.55, a["country"].to_numpy(), _pick(rng, COUNTRIES, COUNTRY_W, n)),
        "kyc_level": a["kyc_level"].to_numpy(),
        "device": _pick(rng, DEVICES, [25, 30, 42, 3], n),
        "asset": _pick(rng, ASSETS, [34, 22, 20, 8, 6, 5, 5], n),
        "amount": _lognormal(rng, 1800, 1.1, n),
        "funding": _pick(rng, FUNDING, [10, 35, 50, 5], n),
        "since_dep": _lognormal(rng, 60 * 24 * 6, 1.5, n),
        "dep_ratio": _lognormal(rng, 6, 1.0, n),  # a big balance, a small deposit
        "card_mismatch": np.nan,
        "new_addr": rng.random(n) < 0.9,
        "prior_accts": np.where(rng.random(n) < 0.2, rng.integers(1, 5, n), 0),
        "device_days": np.where(rng.random(n) < 0.7, 0.0, _lognormal(rng, 100, 1.0, n)),
        "security_change": rng.random(n) < 0.6,
        "kind": "takeover",
    })


def mules(rng: np.random.Generator, n_acc: int, t_from: float, t_to: float, first_id: int) -> pd.DataFrame:
    """Mule accounts: bank or P2P money in, USDT on Tron out to shared collector addresses."""
    # The campaign ramps up: start times follow a rising density over [t_from, t_to].
    start = t_from + (t_to - t_from) * np.sqrt(rng.random(n_acc))
    age0 = rng.uniform(8, 75, n_acc)
    per = rng.choice([1, 2, 3, 4], size=n_acc, p=[0.35, 0.3, 0.2, 0.15])
    idx = np.repeat(np.arange(n_acc), per)
    n = len(idx)
    t = np.floor(start[idx] + rng.uniform(0, 6, n)) + _hours(rng, n, 0.1)
    keep = t < T_END
    idx, t = idx[keep], t[keep]
    n = len(idx)
    country = _pick(rng, COUNTRIES, [12, 9, 9, 7, 4, 8, 10, 8, 8, 5, 5, 6, 4, 5], n_acc)[idx]
    return pd.DataFrame({
        "t": t, "account": first_id + idx, "acct_age": age0[idx] + (t - start[idx]), "country": country,
        "ip_country": np.where(rng.random(n) < 0.9, country, _pick(rng, COUNTRIES, COUNTRY_W, n)),
        "kyc_level": np.where(rng.random(n_acc) < 0.75, 2, 1)[idx],
        "device": _pick(rng, DEVICES, [20, 62, 16, 2], n_acc)[idx],
        "asset": _pick(rng, ASSETS, [6, 4, 76, 8, 2, 2, 2], n),
        "amount": _lognormal(rng, 1300, 0.6, n),
        "funding": _pick(rng, FUNDING, [5, 45, 0, 50], n),
        "since_dep": _lognormal(rng, 120, 1.0, n),
        "dep_ratio": np.clip(rng.beta(18, 1.2, n), 0.3, 1.0),
        "card_mismatch": np.nan,
        "new_addr": rng.random(n) < 0.55,
        "prior_accts": np.floor(_lognormal(rng, 6, 0.8, n)),
        "device_days": np.minimum(age0[idx], _lognormal(rng, 20, 1.0, n)),
        "security_change": rng.random(n) < 0.03,
        "kind": "mule",
    })


BEHAVIOUR = ["device", "device_days", "asset", "amount", "funding", "since_dep", "dep_ratio",
             "card_mismatch", "new_addr", "prior_accts", "security_change"]


def camouflage(rng: np.random.Generator, df: pd.DataFrame, kind: str, share: float,
               donors: np.ndarray) -> None:
    """Make a share of one fraud pattern behave like legitimate rows (copied from donors).

    Real fraud includes careful operators whose withdrawals look ordinary; without them
    the patterns above would be separable by a handful of rules.
    """
    rows = np.flatnonzero((df["kind"].to_numpy() == kind) & (rng.random(len(df)) < share))
    src = rng.choice(donors, size=len(rows))
    for col in BEHAVIOUR:
        df.loc[rows, col] = df.loc[src, col].to_numpy()
    same_ip = df.loc[src, "ip_country"].to_numpy() == df.loc[src, "country"].to_numpy()
    df.loc[rows, "ip_country"] = np.where(same_ip, df.loc[rows, "country"].to_numpy(),
                                          df.loc[rows, "ip_country"].to_numpy())
    if kind == "bust_out":  # a fresh account: its age follows the donor's too
        df.loc[rows, "acct_age"] = df.loc[src, "acct_age"].to_numpy()
    df.loc[rows, "device_days"] = np.minimum(df.loc[rows, "device_days"], df.loc[rows, "acct_age"])


def label_delay(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """Days from the withdrawal until the fraud is confirmed."""
    n = len(kind)
    chargeback = _lognormal(rng, 24, 0.45, n)
    victim_report = _lognormal(rng, 5, 0.6, n)
    bank_recall = _lognormal(rng, 38, 0.4, n)
    fast = rng.random(n) < 0.15  # some cards are reported stolen before any chargeback
    d = np.where(kind == "bust_out", np.where(fast, victim_report, chargeback),
                 np.where(kind == "takeover", victim_report, bank_recall))
    return np.where(kind == "legit", np.inf, d)


# ---------------------------------------------------------------- assembly


def _count_prior(group: np.ndarray, t: np.ndarray, window: float) -> np.ndarray:
    """For each row, how many earlier rows of the same group fall within `window` before it."""
    order = np.lexsort((t, group))
    key = group[order] * 10_000.0 + t[order]  # t spans well under 10,000 days
    before = np.arange(len(key)) - np.searchsorted(key, key - window, side="right")
    out = np.empty(len(key), dtype=np.int64)
    out[order] = before
    return out


def build(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    acc = legit_accounts(rng, 31000)
    legit = legit_withdrawals(rng, acc)
    n_legit_acc = len(acc)
    parts = [
        legit,
        bust_outs(rng, 290, -3, T_SPLIT, n_legit_acc),
        bust_outs(rng, 65, T_SPLIT, T_END - 0.5, n_legit_acc + 1000),
        takeovers(rng, acc, 140, 0, T_END),
        mules(rng, 85, MULE_START, T_END, n_legit_acc + 2000),
    ]
    df = pd.concat(parts, ignore_index=True)
    df = df[(df["t"] >= 0) & (df["t"] < T_END)].reset_index(drop=True)
    is_legit = df["kind"].to_numpy() == "legit"
    age = df["acct_age"].to_numpy()
    camouflage(rng, df, "bust_out", 0.4, np.flatnonzero(is_legit & (age < 10)))
    camouflage(rng, df, "takeover", 0.35, np.flatnonzero(is_legit & (age > 60)))
    df = df.sort_values("t", kind="stable").reset_index(drop=True)
    n = len(df)
    kind = df["kind"].to_numpy()
    fraud = kind != "legit"
    confirmed_at = df["t"].to_numpy() + label_delay(rng, kind)
    test = df["t"].to_numpy() >= T_SPLIT
    extract = np.where(test, TEST_EXTRACT, TRAIN_EXTRACT)
    known = fraud & (confirmed_at <= extract)
    # Training labels: what was known on the extract date. Hidden month: matured labels.
    label = np.where(test, fraud, known).astype(int)

    # Account status on the extract date: frozen or closed once any of its fraud is confirmed.
    account = df["account"].to_numpy()
    acct_conf = pd.Series(np.where(fraud, confirmed_at, np.inf)).groupby(account).transform("min").to_numpy()
    frozen_for_fraud = acct_conf <= extract
    u_closed, u_sweep, u_fraud = rng.random((3, account.max() + 1))[:, account]
    status = np.full(n, "active", dtype=object)
    status[u_closed < 0.008] = "closed"
    status[(u_closed >= 0.008) & (u_closed < 0.010)] = "frozen"
    # The hidden month's extract follows a sweep of old, lightly verified accounts.
    signup = df["t"].to_numpy() - df["acct_age"].to_numpy()
    sweep = test & (df["kyc_level"].to_numpy() == 1) & (extract - signup > 240) & (u_sweep < 0.3)
    status[sweep] = "frozen"
    actioned = frozen_for_fraud & (u_fraud < 0.93)
    status[actioned] = np.where(u_fraud[actioned] < 0.8, "frozen", "closed")
    blocklisted = np.where(known, rng.random(n) < 0.7, rng.random(n) < 0.004).astype(int)

    since_dep = np.minimum(df["since_dep"].to_numpy(), df["acct_age"].to_numpy() * 1440)
    prior_24h = _count_prior(account, df["t"].to_numpy(), 1.0)
    when = T0 + pd.to_timedelta(np.round(df["t"].to_numpy() * DAY), unit="s")
    ids = rng.permutation(np.arange(100000, 100000 + account.max() + 1))
    out = pd.DataFrame({
        "withdrawal_id": [f"wd{i:07d}" for i in range(3000001, 3000001 + n)],
        "created_at": when.strftime("%Y-%m-%d %H:%M:%S"),
        "account_id": [f"ac{i}" for i in ids[account]],
        "account_age_days": np.round(df["acct_age"].to_numpy(), 2),
        "kyc_level": df["kyc_level"].to_numpy(),
        "country": df["country"].to_numpy(),
        "ip_country": df["ip_country"].to_numpy(),
        "device_type": df["device"].to_numpy(),
        "device_age_days": np.round(np.maximum(df["device_days"].to_numpy(), 0), 2),
        "asset": df["asset"].to_numpy(),
        "amount_usd": np.round(np.clip(df["amount"].to_numpy(), 10, 400000), 2),
        "funding_method": df["funding"].to_numpy(),
        "minutes_since_deposit": np.round(since_dep, 1),
        "withdraw_to_deposit_24h": np.round(np.where(since_dep < 1440, df["dep_ratio"].to_numpy(), np.nan), 3),
        "card_country_mismatch": df["card_mismatch"].to_numpy(),
        "new_address": df["new_addr"].to_numpy().astype(int),
        "address_prior_accounts": df["prior_accts"].to_numpy().astype(int),
        "withdrawals_prior_24h": prior_24h,
        "security_change_72h": df["security_change"].to_numpy().astype(int),
        "account_status": status,
        "dest_blocklisted": blocklisted,
        "is_fraud": label,
    })
    out["card_country_mismatch"] = out["card_country_mismatch"].astype("Int64")
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
    print(f"train: {len(train)} rows, {train['is_fraud'].mean():.2%} labelled fraud; "
          f"test: {len(test)} rows, {test['is_fraud'].mean():.2%} fraud")


if __name__ == "__main__":
    main()
