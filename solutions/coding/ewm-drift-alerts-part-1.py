import math


def ewm_drift_by_account(events: list[list], alpha: float, z: float, warmup: int) -> dict:
    """The EW drift monitor run separately for each account of an interleaved stream."""
    state: dict[str, list] = {}  # account -> [values seen, mean, var]
    alerts = []
    for i, (account, x) in enumerate(events):
        if account not in state:
            state[account] = [1, x, 0.0]
            continue
        st = state[account]
        seen, mean, var = st
        diff = x - mean
        # `warmup` counts the account's own values, not positions in the shared stream.
        if seen >= warmup and abs(diff) > z * math.sqrt(var):
            alerts.append(i)
        incr = alpha * diff
        st[0] = seen + 1
        st[1] = mean + incr
        st[2] = (1 - alpha) * (var + diff * incr)
    return {
        "alerts": alerts,
        "mean": {a: st[1] for a, st in state.items()},
        "var": {a: st[2] for a, st in state.items()},
    }
