"""The careless answer for take-home/scam-addresses: every column goes in.

`vendor_category`, `issuer_frozen` and `days_active` were joined from the address tables
when the data was pulled, after the reports that make the label: in the training file
they nearly spell the label out. The hidden period was pulled the day after it ended, so
its scams are not yet filed, frozen or abandoned, every address looks short-lived, and
the vendor's new taxonomy files many honest busy addresses as high risk.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

LABEL = "is_scam"
IDS = ["address_id", "first_seen_at"]


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
