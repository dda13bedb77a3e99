"""The careless answer for take-home/account-takeover: every column goes in.

`case_queue` looks like a routing field, but it is read from the case tool when the data
was pulled, weeks after each login: by then nearly every confirmed takeover sat in the
account-security queue. The hidden month was pulled before its victims had reported, and
after the passkey roll-out began opening account-security cases for honest logins.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

LABEL = "is_ato"
IDS = ["login_id", "account_id", "login_at"]


def _features(df: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    x = df.drop(columns=[c for c in [*IDS, LABEL] if c in df.columns])
    for col, values in categories.items():
        x[col] = pd.Categorical(x[col].fillna("none").astype(str), categories=values)
    return x


def fit(train: pd.DataFrame) -> dict:
    x = train.drop(columns=[*IDS, LABEL])
    text = [c for c in x.columns if not pd.api.types.is_numeric_dtype(x[c])]
    categories = {c: sorted(x[c].fillna("none").astype(str).unique()) for c in text}
    model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=0)
    model.fit(_features(train, categories), train[LABEL])
    return {"model": model, "categories": categories}


def predict(model: dict, test: pd.DataFrame) -> np.ndarray:
    return model["model"].predict_proba(_features(test, model["categories"]))[:, 1]
