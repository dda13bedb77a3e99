"""Plausible wrong answers to the coding-pandas questions: each must fail a hidden test.

A variant is the reference with one edit (`old` replaced by `new`, exactly once), written
as the mistake a candidate would make, named for it. tools/pandas_check.py --wrong runs
each on the hidden tests (tests + tests_file, not the examples) and reports the first
case that catches it.
"""

from __future__ import annotations

VARIANTS: dict[str, list[tuple[str, str, str]]] = {
    "withdrawal-velocity": [
        ("closed-right", 'rolling("1h", closed="left")', 'rolling("1h", closed="right")'),
        ("closed-both-24h", 'rolling("24h", closed="left")', 'rolling("24h", closed="both")'),
        ("closed-neither-1h", 'rolling("1h", closed="left")', 'rolling("1h", closed="neither")'),
        ("next-instead-of-previous", '["ts"].shift(1)', '["ts"].shift(-1)'),
        ("count-skips-nan-amounts", 'n=("amount_usd", "size")', 'n=("amount_usd", "count")'),
        ("mean-instead-of-sum", 'long = rolled.rolling("24h", closed="left").sum()',
         'long = rolled.rolling("24h", closed="left").mean()'),
        ("empty-window-left-nan", 'sum_24h=out["sum_24h"].fillna(0.0)', 'sum_24h=out["sum_24h"]'),
        # The classic: rolling over raw rows and diff() on raw rows, so a same-second
        # neighbour counts as "previous" (secs_since_prev = 0).
        ("previous-row-not-previous-time", 'previous = per_ts.groupby("account_id")["ts"].shift(1)\n'
         '    per_ts["secs_since_prev"] = (per_ts["ts"] - previous).dt.total_seconds()',
         'per_ts["secs_since_prev"] = 0.0'),
    ],
    "asof-feature-snapshots": [
        ("exact-match-allowed", "allow_exact_matches=False", "allow_exact_matches=True"),
        ("no-tolerance", "tolerance=pd.Timedelta(hours=max_age_hours),", ""),
        ("tolerance-exclusive", "tolerance=pd.Timedelta(hours=max_age_hours)",
         "tolerance=pd.Timedelta(hours=max_age_hours) - pd.Timedelta(seconds=1)"),
        ("nearest-snapshot", 'direction="backward"', 'direction="nearest"'),
        ("first-recomputation-wins", 'sort_values(["snapshot_at", "pos"])',
         'sort_values(["snapshot_at", "pos"], ascending=[True, False])'),
        ("ignores-account", 'by="account_id",', ""),
    ],
    "product-label-maturity": [
        ("strict-maturity", "window_end <= snapshot", "window_end < snapshot"),
        ("report-before-snapshot-not-window", '(t["fraud_reported_at"] <= window_end)',
         '(t["fraud_reported_at"] <= snapshot)'),
        ("immature-reports-count", 't["fraud"] = t["mature"] & (', 't["fraud"] = ('),
        ("default-ignored", "fillna(default_days)", "fillna(0)"),
        ("rate-over-all-rows", 'out["n_fraud"] / out["n_mature"]', 'out["n_fraud"] / out["n_txns"]'),
    ],
    "inactivity-sessions": [
        ("gap-inclusive", "gap > pd.Timedelta", "gap >= pd.Timedelta"),
        ("gap-across-users", 'gap = e.groupby("user_id")["ts"].diff()', 'gap = e["ts"].diff()'),
        ("global-session-numbers", 'session=starts.groupby(e["user_id"]).cumsum()', "session=starts.cumsum()"),
        ("unsorted", '.sort_values(["user_id", "ts"])', ""),
        ("any-withdrawal-like-type", 'e["event_type"] == "withdrawal"', 'e["event_type"].str.contains("withdrawal")'),
    ],
    "weekly-signup-retention": [
        ("sunday-weeks", "day.dt.weekday", "(day.dt.weekday + 1) % 7"),
        ("calendar-weeks-from-cohort", '(activity["ts"] - known["signup_ts"])', '(activity["ts"] - known["cohort_week"])'),
        ("rows-not-users", '["user_id"].nunique()', '["user_id"].count()'),
        ("rounded-weeks", '// pd.Timedelta(days=7)', '/ pd.Timedelta(days=7)'),
    ],
    "leaky-feature-audit": [
        ("strictly-after-only", '(checked["computed_at"] >= checked["label_time"])',
         '(checked["computed_at"] > checked["label_time"])'),
        ("nat-not-leaky", ' | checked["computed_at"].isna()', ""),
        ("lead-over-all-rows", "leaky_lead=lead_s.where(leaky)", "leaky_lead=lead_s"),
        ("sorted-ascending", 'ascending=[False, True]', 'ascending=[True, True]'),
        ("nat-label-times-checked", 'labels.dropna(subset=["label_time"])', "labels"),
    ],
    "latest-event-versions": [
        ("nat-counts-as-newest", 'na_position="first"', 'na_position="last"'),
        ("first-version-kept", 'drop_duplicates("event_id", keep="last")', 'drop_duplicates("event_id", keep="first")'),
        ("winner-row-order", '.sort_values("first_pos")', '.sort_values("pos")'),
        ("ingestion-time-ignored", '["event_id", "seq", "ingested_at", "pos"]', '["event_id", "seq", "pos"]'),
        ("count-skips-nat", 'transform("size")', 'transform("count")'),
    ],
    "asset-outflow-spikes": [
        ("population-std", "hist.std()", "hist.std(ddof=0)"),
        ("today-in-history", 'previous = total.groupby(level="asset").shift(1)', "previous = total"),
        ("tomorrow-in-history", 'groupby(level="asset").shift(1)', 'groupby(level="asset").shift(-1)'),
        ("quiet-days-skipped", '["amount"].resample("D").sum()', '["amount"].resample("D").sum(min_count=1).dropna()'),
        ("flag-at-threshold", "z > z_threshold", "z >= z_threshold"),
        ("two-sided", '"flag": z > z_threshold', '"flag": z.abs() > z_threshold'),
        ("min-history-strict", "n_hist >= min_history", "n_hist > min_history"),
        ("mean-window-off-by-one", "rolling(lookback_days, min_periods=1)", "rolling(lookback_days + 1, min_periods=1)"),
    ],
    "daily-alert-quality": [
        ("labels-not-cut-at-as-of", 'labels.loc[labels["confirmed_at"] <= cutoff, "txn_id"]', 'labels["txn_id"]'),
        ("alerts-not-cut-at-as-of", 'alerts.loc[alerts["fired_at"] <= cutoff, "txn_id"]', 'alerts["txn_id"]'),
        ("strict-as-of", 'labels["confirmed_at"] <= cutoff', 'labels["confirmed_at"] < cutoff'),
        ("recall-over-alerts", 'out["recall"] = out["n_caught"] / out["n_fraud"]',
         'out["recall"] = out["n_caught"] / out["n_alerted"]'),
        ("zero-instead-of-nan", 'out["precision"] = out["n_caught"] / out["n_alerted"]',
         'out["precision"] = (out["n_caught"] / out["n_alerted"]).fillna(0.0)'),
    ],
    "shared-device-velocity": [
        ("closed-left-edge", 'pairs["ts_prev"] > pairs["ts"] - w', 'pairs["ts_prev"] >= pairs["ts"] - w'),
        ("same-second-visible", 'pairs["ts_prev"] < pairs["ts"]', 'pairs["ts_prev"] <= pairs["ts"]'),
        ("own-account-counted", ' & (same_device["account_id_prev"] != same_device["account_id"])', ""),
        ("logins-not-accounts", '["account_id_prev"].nunique()', '["account_id_prev"].count()'),
        ("missing-devices-shared", 'known = lg.dropna(subset=["device_id"])', "known = lg"),
    ],
    "online-offline-parity": [
        ("online-as-reference", "rel_tol * off.abs()", "rel_tol * on.abs()"),
        ("strict-tolerance", ".abs() <= abs_tol", ".abs() < abs_tol"),
        ("nan-pairs-mismatch", " | (on.isna() & off.isna())", ""),
        ("sorted-by-rate", 'sort_values(["n_mismatch", "feature"]', 'sort_values(["mismatch_rate", "feature"]'),
        ("inner-join", 'how="outer"', 'how="inner"'),
    ],
}
