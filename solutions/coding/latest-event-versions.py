import numpy as np
import pandas as pd


def latest_versions(events: pd.DataFrame) -> pd.DataFrame:
    """The winning version of each event id, in the order the ids first appeared."""
    by_id = events.groupby("event_id")
    e = events.assign(
        pos=np.arange(len(events)),
        n_versions=by_id["ingested_at"].transform("size"),  # size counts NaT rows too
    )
    e["first_pos"] = e.groupby("event_id")["pos"].transform("first")
    # Ascending by (seq, ingested_at, pos) with missing ingestion times first: the last
    # row of each id is the highest seq, then the latest ingestion, then the latest row.
    ordered = e.sort_values(["event_id", "seq", "ingested_at", "pos"], na_position="first")
    winners = ordered.drop_duplicates("event_id", keep="last").sort_values("first_pos")
    return winners[["event_id", "seq", "ingested_at", "account_id", "amount", "n_versions"]]
