import heapq


def job_order(jobs: list[str], deps: list[list[str]]) -> list[str]:
    """Run order picking the alphabetically first ready job each step; [] if a cycle blocks any."""
    waiting_on = {job: 0 for job in jobs}
    unlocks: dict[str, list[str]] = {job: [] for job in jobs}
    for before, after in deps:
        unlocks[before].append(after)
        waiting_on[after] += 1

    ready = [job for job, count in waiting_on.items() if not count]
    heapq.heapify(ready)
    order = []
    while ready:
        job = heapq.heappop(ready)
        order.append(job)
        for nxt in unlocks[job]:
            waiting_on[nxt] -= 1
            if not waiting_on[nxt]:
                heapq.heappush(ready, nxt)
    # Jobs on or behind a cycle never become ready.
    return order if len(order) == len(jobs) else []
