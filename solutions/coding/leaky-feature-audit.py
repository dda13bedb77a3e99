import pandas as pd


def leaky_features(values: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Features with at least one value computed at or after its row's label time (or at an unknown time)."""
    checked = values.merge(labels.dropna(subset=["label_time"]), on="row_id")
    # At the label time is already too late; an unrecorded time cannot be shown safe.
    leaky = (checked["computed_at"] >= checked["label_time"]) | checked["computed_at"].isna()
    lead_s = (checked["computed_at"] - checked["label_time"]).dt.total_seconds()
    out = (
        checked.assign(leaky=leaky, leaky_lead=lead_s.where(leaky))
        .groupby("feature")
        .agg(n_checked=("computed_at", "size"), n_leaky=("leaky", "sum"), max_lead_s=("leaky_lead", "max"))
        .reset_index()
    )
    out = out[out["n_leaky"] > 0]
    out.insert(3, "leaky_share", out["n_leaky"] / out["n_checked"])
    return out.sort_values(["n_leaky", "feature"], ascending=[False, True])
