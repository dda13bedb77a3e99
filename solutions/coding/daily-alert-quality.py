import pandas as pd


def daily_alert_quality(txns: pd.DataFrame, alerts: pd.DataFrame, labels: pd.DataFrame,
                        as_of: str) -> pd.DataFrame:
    """Per transaction day: the rule's precision and recall against the fraud known at as_of."""
    cutoff = pd.Timestamp(as_of)
    # Only what had happened by as_of: alerts fired and fraud confirmed at or before it.
    alerted = txns["txn_id"].isin(alerts.loc[alerts["fired_at"] <= cutoff, "txn_id"])
    fraud = txns["txn_id"].isin(labels.loc[labels["confirmed_at"] <= cutoff, "txn_id"])
    out = (
        txns.assign(day=txns["ts"].dt.normalize(), alerted=alerted, fraud=fraud, caught=alerted & fraud)
        .groupby("day")
        .agg(n_txns=("ts", "size"), n_alerted=("alerted", "sum"), n_fraud=("fraud", "sum"),
             n_caught=("caught", "sum"))
        .reset_index()
    )
    out["precision"] = out["n_caught"] / out["n_alerted"]  # 0 / 0 is NaN
    out["recall"] = out["n_caught"] / out["n_fraud"]
    return out
