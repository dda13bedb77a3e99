"""Leaky: leans on reset_within_24h, which is known only after the login."""

import pandas as pd


def fit(train: pd.DataFrame):
    return train.groupby("reset_within_24h")["is_ato"].mean().to_dict()


def predict(model, test: pd.DataFrame):
    return test["reset_within_24h"].map(model).fillna(0.0).to_numpy(dtype=float)
