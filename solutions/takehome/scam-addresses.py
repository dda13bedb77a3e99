"""Reference answer for take-home/scam-addresses.

- Leaks left out: `vendor_category`, `issuer_frozen` and `days_active` come from tables
  joined when the data was pulled, weeks after the labels: a reported scam has been filed
  as high risk, frozen by the stablecoin issuer and abandoned by then. None of that is
  known when the first customer sends to the address.
- Delayed labels: reports keep arriving for weeks (pig-butchering victims take longest),
  so negatives first seen in the last 30 days before the label date are dropped.
- Scores are probabilities: the metric blocks at score >= 0.08, the cost-optimal cut for
  a calibrated model when a false block costs 40 and a missed scam 460. The gradient-
  boosted model's log-loss gives probabilities close enough to calibrated for that.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

LABEL = "is_scam"
LEAKS = ["vendor_category", "issuer_frozen", "days_active"]
CATEGORICAL = ["chain", "token"]
HEAVY = ["address_age_days", "in_degree_30d", "out_degree_30d", "inflow_usd_30d",
         "outflow_usd_30d", "median_hold_hours", "amount_usd", "customer_tenure_days"]
PLAIN = ["is_contract", "share_from_exchanges", "share_round_inflows",
         "share_out_to_bridges_mixers", "hops_to_flagged", "lookalike_of_used_address",
         "customer_age_years", "customer_sends_30d"]
MATURITY_DAYS = 30


def _features(df: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    x = pd.DataFrame(index=df.index)
    for col in HEAVY:
        x[f"log_{col}"] = np.log1p(df[col].clip(lower=0))
    for col in PLAIN:
        x[col] = df[col]
    x["pass_through"] = df["outflow_usd_30d"] / df["inflow_usd_30d"].clip(lower=1.0)
    x["amount_vs_inflow"] = np.log1p(df["amount_usd"]) - np.log1p(df["inflow_usd_30d"])
    for col in CATEGORICAL:
        x[col] = pd.Categorical(df[col].astype(str), categories=categories[col])
    return x


def fit(train: pd.DataFrame) -> dict:
    seen = pd.to_datetime(train["first_seen_at"])
    label_date = seen.max().normalize() + pd.Timedelta(days=1)
    immature = (label_date - seen) < pd.Timedelta(days=MATURITY_DAYS)
    rows = train[~(immature & (train[LABEL] == 0))]
    categories = {c: sorted(rows[c].astype(str).unique()) for c in CATEGORICAL}
    model = HistGradientBoostingClassifier(
        learning_rate=0.05, max_iter=200, max_leaf_nodes=15, min_samples_leaf=50,
        l2_regularization=1.0, early_stopping=False, categorical_features="from_dtype")
    model.fit(_features(rows, categories), rows[LABEL])
    return {"model": model, "categories": categories}


def predict(model: dict, test: pd.DataFrame) -> np.ndarray:
    return model["model"].predict_proba(_features(test, model["categories"]))[:, 1]
