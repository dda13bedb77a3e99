import numpy as np
import pandas as pd


def maturity_report(txns: pd.DataFrame, maturity: pd.DataFrame, snapshot_date: str,
                    default_days: int) -> pd.DataFrame:
    """Per product: how many transactions have a closed outcome window at the snapshot, and their fraud rate."""
    snapshot = pd.Timestamp(snapshot_date)
    t = txns.merge(maturity, on="product", how="left")
    t["maturity_days"] = t["maturity_days"].fillna(default_days).astype(np.int64)
    window_end = t["txn_ts"] + pd.to_timedelta(t["maturity_days"], unit="D")
    # The outcome window [txn_ts, window_end] must have closed by the snapshot.
    t["mature"] = window_end <= snapshot
    # Only reports inside the window count; NaT compares False, i.e. no report.
    t["fraud"] = t["mature"] & (t["fraud_reported_at"] <= window_end)
    out = (
        t.groupby(["product", "maturity_days"])
        .agg(n_txns=("fraud_reported_at", "size"), n_mature=("mature", "sum"), n_fraud=("fraud", "sum"))
        .reset_index()
    )
    out["fraud_rate"] = out["n_fraud"] / out["n_mature"]  # 0 / 0 is NaN: no mature rows
    return out
