def merge_sessions(sessions: list[list[int]]) -> list[list[int]]:
    """Merge overlapping or touching closed sessions; each window carries its session count."""
    windows: list[list[int]] = []
    for start, end in sorted(sessions):
        if windows and start <= windows[-1][1]:
            last = windows[-1]
            last[1] = max(last[1], end)
            last[2] += 1
        else:
            windows.append([start, end, 1])
    return windows
