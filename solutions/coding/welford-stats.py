class RunningStats:
    """Streaming count, mean and sample variance in O(1) memory (Welford's method).

    Summing x and x*x and subtracting at the end loses every significant digit when
    values sit far from zero (prices, timestamps); updating the mean and the sum of
    squared deviations one value at a time does not.
    """

    def __init__(self) -> None:
        self._n = 0
        self._mean = 0.0
        self._m2 = 0.0  # sum of squared deviations from the current mean

    def push(self, x: float) -> None:
        self._n += 1
        delta = x - self._mean
        self._mean += delta / self._n
        self._m2 += delta * (x - self._mean)

    def count(self) -> int:
        return self._n

    def mean(self) -> float | None:
        return self._mean if self._n else None

    def variance(self) -> float | None:
        if self._n < 2:
            return None
        return self._m2 / (self._n - 1)
