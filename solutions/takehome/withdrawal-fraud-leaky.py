"""The careless answer for take-home/withdrawal-fraud: every column goes in.

It keeps `account_status` and `dest_blocklisted`, which are filled in after the fraud is
confirmed, and trains on the immature last month as if its labels were final. A random
validation split of the training file rewards it (the status column alone separates
most of the labelled fraud); the hidden month, extracted before its fraud was confirmed
and after a compliance sweep froze many honest accounts, does not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

LABEL = "is_fraud"
IDS = ["withdrawal_id", "account_id", "created_at"]


def _features(df: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    x = df.drop(columns=[c for c in [*IDS, LABEL] if c in df.columns])
    for col, values in categories.items():
        x[col] = pd.Categorical(x[col].astype(str), categories=values)
    return x


def fit(train: pd.DataFrame) -> dict:
    x = train.drop(columns=[*IDS, LABEL])
    text = [c for c in x.columns if not pd.api.types.is_numeric_dtype(x[c])]
    categories = {c: sorted(x[c].astype(str).unique()) for c in text}
    model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=0)
    model.fit(_features(train, categories), train[LABEL])
    return {"model": model, "categories": categories}


def predict(model: dict, test: pd.DataFrame) -> np.ndarray:
    return model["model"].predict_proba(_features(test, model["categories"]))[:, 1]
