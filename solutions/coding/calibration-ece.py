def expected_calibration_error(probs: list[float], labels: list[int], n_bins: int) -> float:
    """ECE with equal-width bins; a probability of exactly 1.0 falls in the last bin."""
    if not probs:
        return 0.0
    # (|B| / N) * |mean(p) - mean(y)| over bin B equals |sum(p) - sum(y)| / N,
    # so per-bin sums are all we need and empty bins contribute nothing.
    prob_sum = [0.0] * n_bins
    label_sum = [0] * n_bins
    for p, y in zip(probs, labels, strict=True):
        b = min(int(p * n_bins), n_bins - 1)
        prob_sum[b] += p
        label_sum[b] += y
    return sum(abs(ps - ls) for ps, ls in zip(prob_sum, label_sum, strict=True)) / len(probs)
