"""The naive rule the brief names for take-home/scam-addresses: block look-alikes.

Score 1 for an address that looks like one the customer used before (the address-
poisoning rule the team added in April), 0 otherwise; with the 0.08 threshold that blocks
exactly the look-alikes. It measures the `baseline` the pack declares
(`python tools/takehome_eval.py`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def fit(train: pd.DataFrame) -> None:
    return None


def predict(model: None, test: pd.DataFrame) -> np.ndarray:
    return test["lookalike_of_used_address"].to_numpy(dtype=float)
