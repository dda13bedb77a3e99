"""The naive rule the brief names for take-home/withdrawal-fraud: newest accounts first.

Each day's queue takes the withdrawals from the youngest accounts. It measures the
`baseline` the pack declares (`python tools/takehome_eval.py`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def fit(train: pd.DataFrame) -> None:
    return None


def predict(model: None, test: pd.DataFrame) -> np.ndarray:
    return -test["account_age_days"].to_numpy(dtype=float)
