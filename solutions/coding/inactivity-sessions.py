import pandas as pd


def sessionise(events: pd.DataFrame, gap_minutes: int) -> pd.DataFrame:
    """One row per session: a user's events with no silence longer than gap_minutes between them."""
    e = events.dropna(subset=["ts"]).sort_values(["user_id", "ts"])
    gap = e.groupby("user_id")["ts"].diff()
    # The first event of a user has no previous one (NaT): it always opens a session.
    # A silence of exactly gap_minutes keeps the session going.
    starts = gap.isna() | (gap > pd.Timedelta(minutes=gap_minutes))
    e = e.assign(session=starts.groupby(e["user_id"]).cumsum(), is_withdrawal=e["event_type"] == "withdrawal")
    out = (
        e.groupby(["user_id", "session"])
        .agg(start=("ts", "first"), end=("ts", "last"), n_events=("ts", "size"),
             n_withdrawals=("is_withdrawal", "sum"))
        .reset_index()
    )
    out["duration_s"] = (out["end"] - out["start"]).dt.total_seconds()
    return out
