import pandas as pd


def parity_report(online: pd.DataFrame, offline: pd.DataFrame, rel_tol: float, abs_tol: float) -> pd.DataFrame:
    """Per feature: how often the value served online disagrees with the offline recomputation."""
    both = online.merge(offline, on=["request_id", "feature"], how="outer", suffixes=("_on", "_off"), indicator=True)
    on, off = both["value_on"], both["value_off"]
    # Two missing values agree; one missing value is a disagreement (NaN compares False).
    agree = ((on - off).abs() <= abs_tol + rel_tol * off.abs()) | (on.isna() & off.isna())
    paired = both["_merge"] == "both"
    out = (
        both.assign(paired=paired, mismatch=paired & ~agree,
                    only_online=both["_merge"] == "left_only", only_offline=both["_merge"] == "right_only")
        .groupby("feature")
        .agg(n_both=("paired", "sum"), n_mismatch=("mismatch", "sum"),
             only_online=("only_online", "sum"), only_offline=("only_offline", "sum"))
        .reset_index()
    )
    out.insert(3, "mismatch_rate", out["n_mismatch"] / out["n_both"])  # 0 / 0 is NaN
    return out.sort_values(["n_mismatch", "feature"], ascending=[False, True])
