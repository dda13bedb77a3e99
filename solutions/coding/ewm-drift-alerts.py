import math


def ewm_drift(values: list[float], alpha: float, z: float, warmup: int) -> dict:
    """Flag values more than z EW standard deviations from the EW mean of earlier values."""
    if not values:
        return {"alerts": [], "mean": None, "var": None}
    mean, var = values[0], 0.0
    alerts = []
    for i, x in enumerate(values[1:], start=1):
        diff = x - mean
        # Judge x against the state built from earlier values only, then learn from it.
        if i >= warmup and abs(diff) > z * math.sqrt(var):
            alerts.append(i)
        incr = alpha * diff
        mean += incr
        var = (1 - alpha) * (var + diff * incr)
    return {"alerts": alerts, "mean": mean, "var": var}
