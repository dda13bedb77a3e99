"""Rebuild train.csv.gz and test.csv.gz for the scam-address take-home.

Synthetic first sightings of external blockchain addresses: the first time any customer
of the exchange sends funds to an address, January to May 2025. Features describe
the address's public transfer graph over the 30 days before that moment. Everything here
is invented; only the shape is meant to be realistic.

- Legitimate destinations: customers' own self-custody wallets, deposit addresses at other
  exchanges (which sweep every deposit onward within hours, like a scam collector does),
  merchants and OTC desks, and DeFi contracts.
- Scams: pig-butchering collectors (older victims, round USDT amounts on Tron, funds
  forwarded at once), wallet drainers (many small victims in days, out through bridges
  and mixers) and, from mid-March, address poisoning: a look-alike of an address the
  customer used before, seeded with dust so it shows in the wallet history. Poisoning is
  a trickle in training and two fifths of the scams in the hidden month.
- Labels are the reports confirmed by the extract date (2 May 2025); investment-fraud
  victims report late, so the last weeks of training are under-labelled.
- `vendor_category`, `issuer_frozen` and `days_active` come from address tables joined
  when the file was prepared (16 June 2025): by then a reported scam has been filed as
  high risk, frozen by the stablecoin issuer and abandoned by its operators. The hidden
  month was prepared the day after it ended: its scams are mostly not yet reported, every
  address has had only days to be active, and the vendor's new taxonomy (from May) files
  busy addresses within two hops of flagged ones as high risk.

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

SEED = 20250301
T0 = pd.Timestamp("2025-01-01")
T_SPLIT = 120.0    # 2025-05-01
T_END = 151.0      # 2025-06-01 (exclusive)
TRAIN_EXTRACT = 121.0   # training labels as of 2025-05-02
TRAIN_SNAPSHOT = 166.0  # address tables joined to the training rows on 2025-06-16
TEST_EXTRACT = 152.0
POISON_START = 70.0   # 2025-03-12

CHAINS = np.array(["ethereum", "tron", "bsc", "bitcoin", "solana"])


def _pick(rng: np.random.Generator, values: np.ndarray, weights, size: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return values[rng.choice(len(values), size=size, p=w / w.sum())]


def _lognormal(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    return np.exp(rng.normal(np.log(median), sigma, size))


def _beta(rng: np.random.Generator, a: float, b: float, size: int) -> np.ndarray:
    return rng.beta(a, b, size)


def _frame(rng: np.random.Generator, kind: str, n: int, t: np.ndarray) -> dict[str, np.ndarray]:
    """One population of addresses: the columns every kind fills, then its specifics."""
    cols: dict[str, np.ndarray] = {
        "t": t, "kind": np.full(n, kind, dtype=object),
        "customer_age": np.clip(rng.normal(36, 11, n), 18, 85),
        "customer_tenure": np.minimum(_lognormal(rng, 280, 1.2, n), 2600),
        "customer_sends_30d": rng.poisson(2.5, n),
        "lookalike": (rng.random(n) < 0.004).astype(int),
        "is_contract": np.zeros(n, dtype=int),
    }
    if kind == "wallet":  # a customer's own self-custody wallet
        chain = _pick(rng, CHAINS, [30, 22, 12, 26, 10], n)
        fresh = rng.random(n) < 0.45
        cols.update(
            chain=chain,
            address_age=np.where(fresh, _lognormal(rng, 0.3, 1.5, n), _lognormal(rng, 200, 1.2, n)),
            in_degree=np.where(fresh, rng.poisson(0.3, n), 1 + rng.poisson(2.0, n)),
            out_degree=np.where(fresh, 0, rng.poisson(1.5, n)),
            inflow=_lognormal(rng, 900, 1.6, n) * np.where(fresh, 0.05, 1.0),
            pass_through=_beta(rng, 1.2, 3.0, n),
            hold_hours=_lognormal(rng, 24 * 20, 1.2, n),
            from_exchanges=_beta(rng, 3, 2, n),
            round_share=_beta(rng, 1.5, 4, n),
            bridge_share=_beta(rng, 0.5, 5, n),
            amount=_lognormal(rng, 400, 1.5, n),
            hops=_pick(rng, np.array([1, 2, 3, 4, 5]), [1, 5, 22, 30, 42], n),
            ret_days=_lognormal(rng, 400, 1.0, n), ret_senders=np.full(n, 0.02),
        )
    elif kind == "exchange":  # a deposit address at another exchange: swept onward at once
        cols.update(
            chain=_pick(rng, CHAINS, [25, 40, 15, 15, 5], n),
            address_age=_lognormal(rng, 60, 1.8, n),
            in_degree=1 + rng.poisson(0.6, n),
            out_degree=np.ones(n, dtype=int),
            inflow=_lognormal(rng, 1500, 1.5, n),
            pass_through=np.clip(rng.normal(0.99, 0.01, n), 0.9, 1.0),
            hold_hours=_lognormal(rng, 2.5, 1.0, n),
            from_exchanges=_beta(rng, 6, 1.5, n),
            round_share=_beta(rng, 2.0, 3.5, n),
            bridge_share=_beta(rng, 0.2, 12, n),
            amount=_lognormal(rng, 800, 1.4, n),
            hops=_pick(rng, np.array([1, 2, 3, 4, 5]), [4, 14, 35, 30, 17], n),
            ret_days=_lognormal(rng, 300, 0.8, n), ret_senders=np.full(n, 0.01),
        )
    elif kind == "service":  # merchants, payment processors, OTC desks
        cols.update(
            chain=_pick(rng, CHAINS, [35, 35, 15, 10, 5], n),
            address_age=_lognormal(rng, 400, 1.0, n),
            in_degree=np.floor(_lognormal(rng, 120, 1.2, n)).astype(int),
            out_degree=np.floor(_lognormal(rng, 30, 1.2, n)).astype(int),
            inflow=_lognormal(rng, 400000, 1.5, n),
            pass_through=_beta(rng, 6, 2, n),
            hold_hours=_lognormal(rng, 30, 1.2, n),
            from_exchanges=_beta(rng, 3, 3, n),
            round_share=_beta(rng, 2, 3, n),
            bridge_share=_beta(rng, 1, 8, n),
            amount=_lognormal(rng, 600, 1.3, n),
            hops=_pick(rng, np.array([1, 2, 3, 4, 5]), [12, 38, 35, 12, 3], n),
            ret_days=_lognormal(rng, 600, 0.6, n), ret_senders=_lognormal(rng, 3, 1.0, n),
        )
        cols["is_contract"] = (rng.random(n) < 0.15).astype(int)
    elif kind == "defi":
        cols.update(
            chain=_pick(rng, CHAINS, [55, 5, 25, 0, 15], n),
            address_age=_lognormal(rng, 500, 0.8, n),
            in_degree=np.floor(_lognormal(rng, 800, 1.0, n)).astype(int),
            out_degree=np.floor(_lognormal(rng, 600, 1.0, n)).astype(int),
            inflow=_lognormal(rng, 3e6, 1.5, n),
            pass_through=_beta(rng, 8, 2, n),
            hold_hours=_lognormal(rng, 10, 1.5, n),
            from_exchanges=_beta(rng, 1, 5, n),
            round_share=_beta(rng, 1, 5, n),
            bridge_share=_beta(rng, 2, 5, n),
            amount=_lognormal(rng, 1500, 1.4, n),
            hops=_pick(rng, np.array([1, 2, 3, 4, 5]), [20, 45, 30, 5, 0], n),
            ret_days=_lognormal(rng, 700, 0.5, n), ret_senders=_lognormal(rng, 20, 1.0, n),
        )
        cols["is_contract"] = np.ones(n, dtype=int)
    elif kind == "pig_butchering":
        cols.update(
            chain=_pick(rng, CHAINS, [25, 60, 10, 3, 2], n),
            address_age=_lognormal(rng, 25, 1.1, n),
            in_degree=np.floor(_lognormal(rng, 9, 1.0, n)).astype(int),
            out_degree=1 + rng.poisson(1.5, n),
            inflow=_lognormal(rng, 40000, 1.3, n),
            pass_through=np.clip(rng.normal(0.96, 0.04, n), 0.6, 1.0),
            hold_hours=_lognormal(rng, 4, 1.2, n),
            from_exchanges=_beta(rng, 7, 2, n),
            round_share=_beta(rng, 4, 2.5, n),
            bridge_share=_beta(rng, 1, 6, n),
            amount=_lognormal(rng, 2500, 1.0, n),
            hops=_pick(rng, np.array([1, 2, 3, 4, 5]), [10, 28, 32, 18, 12], n),
            ret_days=np.zeros(n), ret_senders=_lognormal(rng, 1.2, 0.6, n),
        )
        cols["customer_age"] = np.clip(rng.normal(52, 12, n), 18, 85)
        cols["customer_tenure"] = np.minimum(_lognormal(rng, 120, 1.3, n), 2600)
        cols["customer_sends_30d"] = rng.poisson(1.5, n)
    elif kind == "drainer":
        cols.update(
            chain=_pick(rng, CHAINS, [55, 5, 30, 0, 10], n),
            address_age=_lognormal(rng, 6, 1.2, n),
            in_degree=np.floor(_lognormal(rng, 30, 1.2, n)).astype(int),
            out_degree=1 + rng.poisson(3, n),
            inflow=_lognormal(rng, 25000, 1.4, n),
            pass_through=np.clip(rng.normal(0.97, 0.03, n), 0.7, 1.0),
            hold_hours=_lognormal(rng, 0.6, 1.2, n),
            from_exchanges=_beta(rng, 2, 3, n),
            round_share=_beta(rng, 1, 5, n),
            bridge_share=_beta(rng, 2.5, 3, n),
            amount=_lognormal(rng, 500, 1.2, n),
            hops=_pick(rng, np.array([1, 2, 3, 4, 5]), [10, 25, 30, 20, 15], n),
            ret_days=np.zeros(n), ret_senders=_lognormal(rng, 6, 0.8, n),
        )
        cols["is_contract"] = (rng.random(n) < 0.35).astype(int)
    elif kind == "poisoning":
        cols.update(
            chain=_pick(rng, CHAINS, [40, 50, 10, 0, 0], n),
            address_age=_lognormal(rng, 1.5, 1.0, n),
            in_degree=1 + rng.poisson(0.5, n),
            out_degree=rng.poisson(8, n),  # dust sent to many look-alike targets
            inflow=_lognormal(rng, 30, 2.0, n),
            pass_through=_beta(rng, 2, 2, n),
            hold_hours=_lognormal(rng, 3, 1.5, n),
            from_exchanges=_beta(rng, 3, 3, n),
            round_share=_beta(rng, 1.5, 4, n),
            bridge_share=_beta(rng, 1, 3, n),
            amount=_lognormal(rng, 4000, 1.1, n),
            hops=_pick(rng, np.array([1, 2, 3, 4, 5]), [4, 15, 30, 28, 23], n),
            ret_days=np.zeros(n), ret_senders=np.full(n, 0.05),
        )
        cols["lookalike"] = (rng.random(n) < 0.75).astype(int)
        cols["customer_sends_30d"] = 3 + rng.poisson(6, n)  # busy wallets get poisoned
    else:
        raise ValueError(kind)
    return cols


def population(rng: np.random.Generator, kind: str, n: int, t_from: float, t_to: float,
               ramp: bool = False) -> pd.DataFrame:
    u = rng.random(n)
    t = t_from + (t_to - t_from) * (np.sqrt(u) if ramp else u)
    return pd.DataFrame(_frame(rng, kind, n, t))


BEHAVIOUR = ["address_age", "in_degree", "out_degree", "inflow", "pass_through", "hold_hours",
             "from_exchanges", "round_share", "bridge_share", "hops", "is_contract", "chain"]


def build(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    # Volume grows into the hidden period; legitimate mix per day.
    parts = [
        population(rng, "wallet", 18600, 0, T_END),
        population(rng, "exchange", 14700, 0, T_END),
        population(rng, "service", 3900, 0, T_END),
        population(rng, "defi", 1400, 0, T_END),
        population(rng, "pig_butchering", 400, 0, T_END),
        population(rng, "drainer", 210, 0, T_END),
        population(rng, "poisoning", 150, POISON_START, T_END, ramp=True),
    ]
    df = pd.concat(parts, ignore_index=True)
    df = df.sort_values("t", kind="stable").reset_index(drop=True)
    n = len(df)
    kind = df["kind"].to_numpy()
    scam = np.isin(kind, ["pig_butchering", "drainer", "poisoning"])
    # A share of scams run through clean-looking, older infrastructure.
    camo = np.flatnonzero(scam & (rng.random(n) < 0.55))
    donors = rng.choice(np.flatnonzero(np.isin(kind, ["wallet", "exchange"])), size=len(camo))
    for col in BEHAVIOUR:
        df.loc[camo, col] = df.loc[donors, col].to_numpy()

    t = df["t"].to_numpy()
    test = t >= T_SPLIT
    extract = np.where(test, TEST_EXTRACT, TRAIN_EXTRACT)
    # Labels: reported within 60 days of first sighting. The hidden period is matured.
    # Drained wallets and misdirected payments are noticed within days; pig-butchering
    # victims often keep paying for weeks before they realise.
    delay = np.where(kind == "pig_butchering", _lognormal(rng, 24, 0.6, n),
                     np.where(kind == "drainer", _lognormal(rng, 6, 0.6, n), _lognormal(rng, 3, 0.6, n)))
    reported_at = t + np.where(scam, delay, np.inf)
    label = np.where(test, scam, scam & (reported_at <= extract)).astype(int)

    # Address tables (activity, issuer freezes, vendor feed) as of the snapshot joined in.
    snapshot = np.where(test, TEST_EXTRACT, TRAIN_SNAPSHOT)
    # Activity after first sighting, cut at the snapshot. Scam operators drop an
    # address a few days after it is reported (exchanges and issuers start freezing it).
    last_active = np.where(scam, reported_at + _lognormal(rng, 3, 0.6, n), t + df["ret_days"].to_numpy())
    days_active = np.maximum(np.minimum(last_active, snapshot) - t, 0.0)

    chain = df["chain"].to_numpy()
    stable_share = np.where(kind == "pig_butchering", 0.9, 0.5)
    token = np.where(rng.random(n) < stable_share, np.where(rng.random(n) < 0.8, "USDT", "USDC"), "native")
    token = np.where(chain == "bitcoin", "native", token)
    # Stablecoin issuers freeze reported addresses, after their own review.
    frozen_at = np.where(scam & (token != "native") & (rng.random(n) < 0.8),
                         reported_at + _lognormal(rng, 15, 0.5, n), np.inf)
    frozen_at = np.where(~scam & (token != "native") & (rng.random(n) < 0.002),
                         t + rng.uniform(0, 200, n), frozen_at)
    issuer_frozen = (frozen_at <= snapshot).astype(int)
    # The attribution vendor's category as delivered with the extract: reported scams
    # reach its high-risk bucket after a lag; known services are attributed early.
    u = rng.random(n)
    vendor_known = {"wallet": 0.0, "exchange": 0.85, "service": 0.75, "defi": 0.92}
    vendor_name = {"wallet": "unknown", "exchange": "exchange", "service": "merchant", "defi": "defi"}
    category = np.full(n, "unknown", dtype=object)
    for k, share in vendor_known.items():
        category[(kind == k) & (u < share)] = vendor_name[k]
    category[(kind == "service") & (u >= 0.75) & (u < 0.85)] = "gambling"
    category[(kind == "wallet") & (u < 0.015)] = "gambling"
    category[~scam & (u > 0.996)] = "high_risk"
    listed = scam & (reported_at + _lognormal(rng, 12, 0.4, n) <= snapshot) & (u < 0.97)
    category[listed] = "high_risk"
    # From May the vendor's new taxonomy also files busy addresses with exposure to
    # flagged ones (within two hops) as high risk.
    exposed = test & ~scam & (df["hops"].to_numpy() <= 2) & np.isin(kind, ["exchange", "service", "wallet"])
    category[exposed & (rng.random(n) < 0.9)] = "high_risk"
    inflow = df["inflow"].to_numpy()
    when = T0 + pd.to_timedelta(np.round(t * 86400), unit="s")
    hexes = rng.integers(0, 16, size=(n, 12))
    digits = np.array(list("0123456789abcdef"))
    tails = ["".join(row) for row in digits[hexes]]
    prefix = {"ethereum": "0x", "bsc": "0x", "tron": "T", "bitcoin": "bc1q", "solana": "So"}
    out = pd.DataFrame({
        "address_id": [prefix[c] + s for c, s in zip(chain, tails, strict=True)],
        "first_seen_at": when.strftime("%Y-%m-%d %H:%M:%S"),
        "chain": chain,
        "token": token,
        "address_age_days": np.round(df["address_age"].to_numpy(), 2),
        "is_contract": np.where(np.isin(chain, ["bitcoin", "solana"]), 0, df["is_contract"].to_numpy()),
        "in_degree_30d": df["in_degree"].to_numpy().astype(int),
        "out_degree_30d": df["out_degree"].to_numpy().astype(int),
        "inflow_usd_30d": np.round(inflow, 2),
        "outflow_usd_30d": np.round(inflow * df["pass_through"].to_numpy(), 2),
        "median_hold_hours": np.round(df["hold_hours"].to_numpy(), 2),
        "share_from_exchanges": np.round(df["from_exchanges"].to_numpy(), 3),
        "share_round_inflows": np.round(df["round_share"].to_numpy(), 3),
        "share_out_to_bridges_mixers": np.round(df["bridge_share"].to_numpy(), 3),
        "hops_to_flagged": df["hops"].to_numpy().astype(int),
        "lookalike_of_used_address": df["lookalike"].to_numpy().astype(int),
        "amount_usd": np.round(np.clip(df["amount"].to_numpy(), 5, 2e6), 2),
        "customer_age_years": np.round(df["customer_age"].to_numpy()).astype(int),
        "customer_tenure_days": np.round(df["customer_tenure"].to_numpy(), 1),
        "customer_sends_30d": df["customer_sends_30d"].to_numpy().astype(int),
        "vendor_category": category,
        "issuer_frozen": issuer_frozen,
        "days_active": np.round(days_active, 1),
        "is_scam": label,
    })
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
    print(f"train: {len(train)} rows, {train['is_scam'].mean():.2%} labelled scams; "
          f"test: {len(test)} rows, {test['is_scam'].mean():.2%} scams")


if __name__ == "__main__":
    main()
