import numpy as np
import pandas as pd


def velocity_features(withdrawals: pd.DataFrame) -> pd.DataFrame:
    """Per withdrawal: the same account's strictly earlier withdrawals in [ts - 1h, ts) and [ts - 24h, ts)."""
    w = withdrawals[["account_id", "ts", "amount_usd"]]
    # One row per (account, timestamp): withdrawals sharing a timestamp must never see
    # each other, and a rolling window over unique timestamps guarantees it. Rows with a
    # NaT timestamp drop out here (groupby skips missing keys): nobody sees them.
    per_ts = (
        w.groupby(["account_id", "ts"])
        .agg(n=("amount_usd", "size"), total=("amount_usd", "sum"))  # size counts NaN amounts
        .reset_index()
    )
    rolled = per_ts.set_index("ts").groupby("account_id")[["n", "total"]]
    # closed="left": the window is [t - w, t), so the withdrawal itself is never in it.
    # groupby().rolling() returns rows in (account, ts) order, which is per_ts's order.
    short = rolled.rolling("1h", closed="left").sum()
    long = rolled.rolling("24h", closed="left").sum()
    per_ts["n_1h"] = short["n"].to_numpy()
    per_ts["n_24h"] = long["n"].to_numpy()
    per_ts["sum_24h"] = long["total"].to_numpy()
    previous = per_ts.groupby("account_id")["ts"].shift(1)
    per_ts["secs_since_prev"] = (per_ts["ts"] - previous).dt.total_seconds()

    out = w[["account_id", "ts"]].merge(per_ts.drop(columns=["n", "total"]), on=["account_id", "ts"], how="left")
    # An empty window is NaN after rolling, and a NaT row matched nothing: both are zeros.
    return out.assign(
        n_1h=out["n_1h"].fillna(0).astype(np.int64),
        n_24h=out["n_24h"].fillna(0).astype(np.int64),
        sum_24h=out["sum_24h"].fillna(0.0),
    )
