from bisect import bisect_left
from itertools import accumulate


def first_heights(volumes: list[int], targets: list[int]) -> list[int]:
    """For each target, the first height whose cumulative volume reaches it, or -1."""
    cumulative = list(accumulate(volumes))
    answers = []
    for target in targets:
        # Volumes are non-negative, so the running total is sorted and bisect applies.
        height = bisect_left(cumulative, target)
        answers.append(height if height < len(cumulative) else -1)
    return answers
