import math
from bisect import bisect_right
from collections import Counter


def population_stability_index(
    baseline: list[float], current: list[float], edges: list[float], eps: float = 1e-4
) -> float:
    """PSI of `current` against `baseline` over the bins defined by `edges`."""
    last = len(edges) - 2  # index of the last bin

    def shares(sample: list[float]) -> dict[int, float]:
        # Bins are [edges[i], edges[i+1]); out-of-range values are clipped to the
        # outer bins, and the top edge itself belongs to the last bin.
        counts = Counter(min(max(bisect_right(edges, x) - 1, 0), last) for x in sample)
        return {b: c / len(sample) for b, c in counts.items()}

    base, cur = shares(baseline), shares(current)
    psi = 0.0
    # A bin empty in both samples adds (eps - eps) * ln(1) = 0, so only bins seen
    # in either sample are summed.
    for b in base.keys() | cur.keys():
        # A share of 0 would make the log infinite: floor every share at eps.
        e = max(base.get(b, 0.0), eps)
        a = max(cur.get(b, 0.0), eps)
        psi += (a - e) * math.log(a / e)
    return psi
