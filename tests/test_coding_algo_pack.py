"""The built-in algorithms pack: valid, its expected values recomputed by brute force, and
plausible wrong answers caught by the hidden tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drill.packs.packfile import load_tests_file
from drill.plainclass import replace
from tests.packkit import assert_coding_pack_shape, builtin_catalog, builtin_pack

PACK = Path(__file__).resolve().parent.parent / "questions" / "coding-algo.yaml"


QUESTIONS = {q.id: q for q in builtin_pack("coding-algo").questions}


def test_pack_validates(cli):
    code, out, _err = cli("packs", "validate", str(PACK))
    assert code == 0, out


def test_pack_shape():
    assert builtin_pack("coding-algo").pack == "coding-algo"
    assert_coding_pack_shape(builtin_pack("coding-algo"), PACK, (4, 8, 3))
    for q in QUESTIONS.values():
        assert q.tests_file == f"coding-algo/{q.id}.json", q.id
        # Large cases stay small enough to ship and to load quickly.
        assert (PACK.parent / q.tests_file).stat().st_size < 1_100_000, q.id
        assert load_tests_file(PACK.parent / q.tests_file), q.id


# ------------------------------------------------------------ brute-force oracles
# Deliberately naive and independent of the reference solutions: each recomputes the
# expected value of every example and hidden test written in the YAML.


def merge_sessions(sessions):
    out, used = [], [False] * len(sessions)
    for i in range(len(sessions)):
        if used[i]:
            continue
        used[i], members, todo = True, [i], [i]
        while todo:
            a = sessions[todo.pop()]
            for j, b in enumerate(sessions):
                if not used[j] and a[0] <= b[1] and b[0] <= a[1]:
                    used[j] = True
                    members.append(j)
                    todo.append(j)
        group = [sessions[m] for m in members]
        out.append([min(s for s, _ in group), max(e for _, e in group), len(group)])
    return sorted(out)


def first_heights(volumes, targets):
    sums = [sum(volumes[: h + 1]) for h in range(len(volumes))]
    return [next((h for h, c in enumerate(sums) if c >= t), -1) for t in targets]


def top_flagged(alerts, k):
    ranked = sorted(set(alerts), key=lambda a: (-alerts.count(a), a))
    return [[a, alerts.count(a)] for a in ranked[:k]]


def peak_concurrency(sessions):
    best = [0, -1]
    for t in sorted({s for s, _ in sessions}):
        n = sum(s <= t < e for s, e in sessions)
        if n > best[0]:
            best = [n, t]
    return best


def link_accounts(logins):
    accounts = sorted({a for a, _ in logins})
    devices = {a: {d for b, d in logins if b == a} for a in accounts}
    groups, seen = [], set()
    for a in accounts:
        if a in seen:
            continue
        seen.add(a)
        group, todo = [], [a]
        while todo:
            x = todo.pop()
            group.append(x)
            for y in accounts:
                if y not in seen and devices[x] & devices[y]:
                    seen.add(y)
                    todo.append(y)
        groups.append(sorted(group))
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def exposure(transfers, flagged, k):
    best = {flagged: 0}
    for _ in range(min(k, len(transfers))):  # Bellman-Ford rounds on unit weights
        for s, r in transfers:
            if s in best and best[s] + 1 < best.get(r, k + 1):
                best[r] = best[s] + 1
    best.pop(flagged)
    return best


def count_split_pairs(transfers, target, gap):
    n = len(transfers)
    return sum(transfers[i][1] + transfers[j][1] == target and transfers[j][0] - transfers[i][0] <= gap
               for i in range(n) for j in range(i + 1, n))


def job_order(jobs, deps):
    done, order = set(), []
    while len(order) < len(jobs):
        ready = [j for j in jobs if j not in done and all(b in done for b, a in deps if a == j)]
        if not ready:
            return []
        order.append(min(ready))
        done.add(order[-1])
    return order


def cheapest_route(pairs, source, target):
    best = None

    def walk(route, fee):  # every simple route
        nonlocal best
        if route[-1] == target:
            label = (fee, len(route), route)
            best = label if best is None or label < best else best
            return
        for a, b, f in pairs:
            if a == route[-1] and b not in route:
                walk([*route, b], fee + f)

    walk([source], 0)
    return [best[0], best[2]] if best else [-1, []]


def round_trip_addresses(transfers):
    def reaches(a, b):
        seen, todo = set(), [a]
        while todo:
            x = todo.pop()
            for s, r in transfers:
                if s == x and r not in seen:
                    seen.add(r)
                    todo.append(r)
        return b in seen

    return sorted({s for s, _ in transfers if reaches(s, s)})


def window_kth_largest(amounts, w, k):
    return [sorted(amounts[i:i + w], reverse=True)[k - 1] for i in range(len(amounts) - w + 1)]


class RateLimiter:
    def __init__(self, limit, window):
        self.limit, self.window, self.allowed = limit, window, []

    def allow(self, user, ts):
        recent = [t for u, t in self.allowed if u == user and ts - self.window < t <= ts]
        if len(recent) < self.limit:
            self.allowed.append((user, ts))
            return True
        return False


class ScoreCache:
    def __init__(self, capacity):
        self.capacity, self.order, self.scores = capacity, [], {}

    def _use(self, account):
        if account in self.order:
            self.order.remove(account)
        self.order.append(account)

    def get(self, account):
        if account in self.scores:
            self._use(account)
        return self.scores.get(account)

    def put(self, account, score):
        evicted = None
        if account not in self.scores and len(self.scores) == self.capacity:
            evicted = self.order.pop(0)
            del self.scores[evicted]
        self.scores[account] = score
        self._use(account)
        return evicted


class AddressIndex:
    def __init__(self):
        self.stored = []

    def add(self, address):
        new = address not in self.stored
        if new:
            self.stored.append(address)
        return new

    def count_prefix(self, prefix):
        return sum(a.startswith(prefix) for a in self.stored)

    def common_prefix(self):
        prefix = min(self.stored, default="")
        while not all(a.startswith(prefix) for a in self.stored):
            prefix = prefix[:-1]
        return prefix


class MedianTracker:
    def __init__(self):
        self.amounts = []

    def add(self, amount):
        self.amounts.append(amount)

    def median(self):
        s, n = sorted(self.amounts), len(self.amounts)
        if not n:
            return None
        return float(s[n // 2]) if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


ORACLES = {name: obj for name, obj in globals().items() if callable(obj) and not name.startswith("_")}


def _run(q, case, entry):
    if q.is_class:
        obj, out = None, []
        for method, args in json.loads(json.dumps(case.calls)):
            if method == "__init__":
                obj = entry(*args)
                out.append(None)
            else:
                out.append(getattr(obj, method)(*args))
        return out
    return entry(*json.loads(json.dumps(case.args)))


def _close(a, b):
    if isinstance(b, float) and isinstance(a, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 1e-9 + 1e-6 * abs(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_expected_values_match_a_brute_force_oracle(qid):
    q = QUESTIONS[qid]
    oracle = ORACLES[q.entry]
    for case in [*q.examples, *q.tests]:
        got = _run(q, case, oracle)
        assert _close(got, case.expected), f"{qid}/{case.name}: oracle {got!r}, pack {case.expected!r}"


# ------------------------------------------------------------ wrong answers

WRONG = {
    "merge-session-windows": [
        # Touching sessions ([1, 5] and [5, 9]) left apart.
        """def merge_sessions(sessions):
    out = []
    for s, e in sorted(sessions):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e); out[-1][2] += 1
        else:
            out.append([s, e, 1])
    return out
""",
        # A nested session shrinks the window.
        """def merge_sessions(sessions):
    out = []
    for s, e in sorted(sessions):
        if out and s <= out[-1][1]:
            out[-1][1] = e; out[-1][2] += 1
        else:
            out.append([s, e, 1])
    return out
""",
    ],
    "volume-milestone-heights": [
        """from bisect import bisect_right
from itertools import accumulate
def first_heights(volumes, targets):
    c = list(accumulate(volumes))
    return [h if (h := bisect_right(c, t)) < len(c) else -1 for t in targets]
""",
    ],
    "top-flagged-accounts": [
        # Ties in first-seen order instead of by id.
        """from collections import Counter
def top_flagged(alerts, k):
    return [[a, c] for a, c in Counter(alerts).most_common(k)]
""",
    ],
    "peak-concurrent-sessions": [
        # Closed intervals: a session ending at t overlaps one starting at t.
        """def peak_concurrency(sessions):
    ev = sorted([(s, 0, 1) for s, _ in sessions] + [(e, 1, -1) for _, e in sessions])
    best, n = [0, -1], 0
    for t, _, d in ev:
        n += d
        if n > best[0]:
            best = [n, t]
    return best
""",
    ],
    "device-linked-accounts": [
        # Accounts and devices share one namespace.
        """def link_accounts(logins):
    parent = {}
    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x
    for a, d in logins:
        parent.setdefault(a, a); parent.setdefault(d, d)
        parent[find(a)] = find(d)
    groups = {}
    for a in {a for a, _ in logins}:
        groups.setdefault(find(a), []).append(a)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))
""",
    ],
    "flagged-exposure-hops": [
        # Depth-first labels: the first path found, not the shortest.
        """def exposure(transfers, flagged, k):
    adj = {}
    for s, r in transfers:
        adj.setdefault(s, []).append(r)
    hops, stack = {flagged: 0}, [flagged]
    while stack:
        a = stack.pop()
        if hops[a] < k:
            for b in reversed(adj.get(a, [])):
                if b not in hops:
                    hops[b] = hops[a] + 1; stack.append(b)
    del hops[flagged]
    return hops
""",
    ],
    "withdrawal-rate-limiter": [
        # Rejected requests still use up the allowance.
        """from collections import deque
class RateLimiter:
    def __init__(self, limit, window):
        self.limit, self.window, self.h = limit, window, {}
    def allow(self, user, ts):
        r = self.h.setdefault(user, deque())
        while r and r[0] <= ts - self.window:
            r.popleft()
        r.append(ts)
        return len(r) <= self.limit
""",
    ],
    "risk-score-lru-cache": [
        # Updating a cached account does not refresh its recency.
        """from collections import OrderedDict
class ScoreCache:
    def __init__(self, capacity):
        self.cap, self.d = capacity, OrderedDict()
    def get(self, a):
        if a not in self.d:
            return None
        self.d.move_to_end(a)
        return self.d[a]
    def put(self, a, s):
        if a in self.d:
            self.d[a] = s
            return None
        ev = self.d.popitem(last=False)[0] if len(self.d) == self.cap else None
        self.d[a] = s
        return ev
""",
    ],
    "address-prefix-index": [
        # Duplicates counted twice.
        """class AddressIndex:
    def __init__(self):
        self.items = []
    def add(self, a):
        new = a not in self.items
        self.items.append(a)
        return new
    def count_prefix(self, p):
        return sum(x.startswith(p) for x in self.items)
    def common_prefix(self):
        import os
        return os.path.commonprefix(self.items) if self.items else ""
""",
    ],
    "pipeline-job-order": [
        # A partial order instead of [] when a cycle blocks jobs.
        """import heapq
def job_order(jobs, deps):
    indeg = {j: 0 for j in jobs}; out = {j: [] for j in jobs}
    for b, a in deps:
        out[b].append(a); indeg[a] += 1
    h = [j for j in jobs if indeg[j] == 0]; heapq.heapify(h); order = []
    while h:
        j = heapq.heappop(h); order.append(j)
        for a in out[j]:
            indeg[a] -= 1
            if indeg[a] == 0:
                heapq.heappush(h, a)
    return order
""",
    ],
    "withdrawal-median-tracker": [
        # The upper middle value for an even count.
        """class MedianTracker:
    def __init__(self):
        self.v = []
    def add(self, x):
        self.v.append(x)
    def median(self):
        return float(sorted(self.v)[len(self.v) // 2]) if self.v else None
""",
    ],
    "split-transfer-pairs": [
        # Each transfer added to the window before looking up its partner.
        """from collections import Counter
def count_split_pairs(transfers, target, gap):
    c, left, pairs = Counter(), 0, 0
    for ts, a in transfers:
        while transfers[left][0] < ts - gap:
            c[transfers[left][1]] -= 1; left += 1
        c[a] += 1
        pairs += c[target - a]
    return pairs
""",
    ],
    "cheapest-conversion-route": [
        # No fewest-conversions tie-break.
        """import heapq
def cheapest_route(pairs, source, target):
    adj = {}
    for a, b, f in pairs:
        adj.setdefault(a, []).append((b, f))
    h, done = [(0, (source,))], set()
    while h:
        f, r = heapq.heappop(h)
        if r[-1] in done:
            continue
        done.add(r[-1])
        if r[-1] == target:
            return [f, list(r)]
        for v, w in adj.get(r[-1], []):
            heapq.heappush(h, (f + w, r + (v,)))
    return [-1, []]
""",
    ],
    "round-trip-addresses": [
        # Peeling addresses without in- or out-transfers keeps bridges between loops.
        """def round_trip_addresses(transfers):
    outs, ins = {}, {}
    for a, b in transfers:
        outs.setdefault(a, set()).add(b); ins.setdefault(b, set()).add(a)
        outs.setdefault(b, set()); ins.setdefault(a, set())
    alive, changed = set(outs), True
    while changed:
        changed = False
        for x in list(alive):
            if not outs[x] & alive or not ins[x] & alive:
                alive.discard(x); changed = True
    return sorted(alive)
""",
    ],
    "window-kth-largest": [
        # Distinct values only: duplicates collapsed.
        """def window_kth_largest(amounts, w, k):
    out = []
    for i in range(len(amounts) - w + 1):
        s = sorted(set(amounts[i:i + w]), reverse=True)
        out.append(s[min(k, len(s)) - 1])
    return out
""",
    ],
}


def test_every_question_has_a_wrong_answer():
    assert set(WRONG) == set(QUESTIONS)


@pytest.mark.parametrize(("qid", "source"), [(q, s) for q, srcs in sorted(WRONG.items()) for s in srcs])
def test_plausible_wrong_answer_fails_a_hidden_test(qid, source):
    from drill.judge.code import judge_code

    loaded = builtin_catalog().load(f"coding-algo/{qid}")
    # The YAML tests alone must catch it; the large tests_file cases only add time here.
    small = replace(loaded, hidden=list(loaded.question.tests))
    result = judge_code(small, source)
    failed = [c.name for c in result.cases if c.hidden and not c.passed]
    assert failed, f"{qid}: a wrong answer passed every hidden test"


def test_show_prints_class_example_results(cli):
    # [null, true, ...] once vanished as rich markup; the expected values must be visible.
    code, out, _err = cli("show", "coding-algo/withdrawal-rate-limiter")
    assert code == 0
    assert "[null, true, true, false, true, false, true]" in out
