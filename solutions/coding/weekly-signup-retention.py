import pandas as pd


def weekly_retention(signups: pd.DataFrame, activity: pd.DataFrame, n_weeks: int) -> pd.DataFrame:
    """Share of each signup-week cohort active in each of its users' first n_weeks weeks."""
    day = signups["signup_ts"].dt.normalize()
    # Monday 00:00 of the signup's week (Monday is weekday 0). A NaT signup gives a NaT
    # cohort, and groupby leaves missing keys out: those users are in no cohort.
    users = signups.assign(cohort_week=day - pd.to_timedelta(day.dt.weekday, unit="D")).set_index("user_id")
    sizes = users.groupby("cohort_week").size()

    known = users.reindex(activity["user_id"]).set_index(activity.index)  # NaT rows: unknown users
    act = activity.assign(cohort_week=known["cohort_week"],
                          week=(activity["ts"] - known["signup_ts"]) // pd.Timedelta(days=7))
    active = act.groupby(["cohort_week", "week"])["user_id"].nunique()  # users, not activity rows
    # Weeks outside 0 .. n_weeks - 1 (activity before the signup, or past the horizon)
    # fall outside the reindex; cohorts and weeks nobody was active in become 0.
    table = active.unstack("week").reindex(index=sizes.index, columns=range(n_weeks)).fillna(0)

    out = pd.DataFrame({"cohort_week": sizes.index, "users": sizes.to_numpy()})
    for k in range(n_weeks):
        out[f"w{k}"] = table[k].to_numpy() / sizes.to_numpy()
    return out
