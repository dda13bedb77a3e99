import pandas as pd


def outflow_spikes(withdrawals: pd.DataFrame, lookback_days: int, min_history: int,
                   z_threshold: float) -> pd.DataFrame:
    """Per asset and day: total outflow, its z-score against the previous lookback_days days, and a spike flag."""
    if withdrawals.empty:
        return pd.DataFrame({"asset": pd.Series(dtype=object), "day": pd.Series(dtype="datetime64[ns]"),
                             "total": pd.Series(dtype="float64"), "n_hist": pd.Series(dtype="int64"),
                             "z": pd.Series(dtype="float64"), "flag": pd.Series(dtype=bool)})
    # Daily bins from each asset's first day to its last: a quiet day, or one whose
    # amounts are all NaN, sums to 0.0 and is a real day of history, not a gap.
    total = withdrawals.set_index("ts").groupby("asset")["amount"].resample("D").sum()
    # The history of day d is days d - lookback_days .. d - 1: shift by one day within
    # the asset, then a window of lookback_days; the shifted-in NaN is not counted.
    previous = total.groupby(level="asset").shift(1)
    # (groupby().rolling() keeps the order of `previous`, already sorted by asset and day.)
    hist = previous.groupby(level="asset").rolling(lookback_days, min_periods=1)
    n_hist = hist.count().to_numpy().astype("int64")
    mean, std = hist.mean().to_numpy(), hist.std().to_numpy()  # sample std, ddof=1
    z = ((total - mean) / std).where((n_hist >= min_history) & (std > 0))
    out = pd.DataFrame({"total": total, "n_hist": n_hist, "z": z, "flag": z > z_threshold})
    return out.rename_axis(["asset", "day"]).reset_index()
