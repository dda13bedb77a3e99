"""The naive rule the brief names for take-home/account-takeover.

Logins from a new device first; among them, and among the rest, those whose IP address
saw the most failed logins in the past hour. It measures the `baseline` the pack
declares (`python tools/takehome_eval.py`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def fit(train: pd.DataFrame) -> None:
    return None


def predict(model: None, test: pd.DataFrame) -> np.ndarray:
    failures = test["ip_failed_logins_1h"].to_numpy(dtype=float)
    # failures / (1 + failures) < 1, so a new device always outranks an old one.
    return test["new_device"].to_numpy(dtype=float) + failures / (1.0 + failures)
