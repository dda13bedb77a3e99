import numpy as np
import pandas as pd


def device_velocity(logins: pd.DataFrame, window_hours: int) -> pd.DataFrame:
    """Per login: other accounts on its device, and devices of its account, in the open window (ts - w, ts)."""
    w = pd.Timedelta(hours=window_hours)
    lg = logins.assign(row=np.arange(len(logins)))
    known = lg.dropna(subset=["device_id"])  # no fingerprint: links the login to nobody

    def in_window(pairs: pd.DataFrame) -> pd.Series:
        # Strictly earlier (same-second logins are invisible to each other) and strictly
        # inside the window (a login exactly w ago has just expired).
        return (pairs["ts_prev"] < pairs["ts"]) & (pairs["ts_prev"] > pairs["ts"] - w)

    same_device = known.merge(known[["device_id", "account_id", "ts"]], on="device_id", suffixes=("", "_prev"))
    same_device = same_device[in_window(same_device) & (same_device["account_id_prev"] != same_device["account_id"])]
    others = same_device.groupby("row")["account_id_prev"].nunique()

    same_account = lg.merge(known[["account_id", "device_id", "ts"]], on="account_id", suffixes=("", "_prev"))
    devices = same_account[in_window(same_account)].groupby("row")["device_id_prev"].nunique()

    # A login with nothing in its window is in neither count: 0, not NaN.
    return lg[["account_id", "ts"]].assign(
        other_accounts=lg["row"].map(others).fillna(0).astype(np.int64),
        devices=lg["row"].map(devices).fillna(0).astype(np.int64),
    )
