import numpy as np
import pandas as pd


def attach_snapshots(labels: pd.DataFrame, snapshots: pd.DataFrame, max_age_hours: int) -> pd.DataFrame:
    """Each label with its account's latest snapshot computed strictly before decision_ts, at most max_age_hours old."""
    snaps = snapshots.rename(columns={"computed_at": "snapshot_at"}).astype({"n_devices_30d": np.float64})
    # Among rows with the same time, merge_asof takes the last one in the right frame's
    # order; sorting by input position as well makes that the recomputation written last.
    snaps = snaps.assign(pos=np.arange(len(snaps))).sort_values(["snapshot_at", "pos"])

    # merge_asof refuses null keys: a label without a decision time gets no snapshot.
    timed = labels.loc[labels["decision_ts"].notna(), ["account_id", "decision_ts"]].sort_values("decision_ts")
    matched = pd.merge_asof(
        timed.rename_axis("label_row").reset_index(),  # keeps each label's index label
        snaps[["account_id", "snapshot_at", "risk_score", "n_devices_30d"]],
        left_on="decision_ts",
        right_on="snapshot_at",
        by="account_id",
        direction="backward",
        allow_exact_matches=False,  # written at the decision time is too late
        tolerance=pd.Timedelta(hours=max_age_hours),
    )
    found = matched.set_index("label_row")[["snapshot_at", "risk_score", "n_devices_30d"]]
    return labels.join(found)  # in labels' order; no usable snapshot gives NaT / NaN
