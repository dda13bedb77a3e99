"""Generate the hidden-case files of the built-in code questions' follow-up parts.

    python tools/gen_part_cases.py            # (re)write questions/<pack>/<id>-part-<k>.json
    python tools/gen_part_cases.py --check    # exit 1 if a file differs from what it would write

Every case is built from a seeded `random.Random`, so the files are the same on every run.
Expected values come from the part's reference solution (solutions/coding/<id>-part-<k>.py);
tests/test_builtin_parts.py recomputes every case not named `large-*` with a naive oracle
written from the prompt, and judges independent answers on all of them. A `large-*` case
exists to make the complexity the prompt asks for matter: the naive oracle of the same part
does not finish it within the part's time limit.
"""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "questions"
SOLUTIONS = ROOT / "solutions" / "coding"

Case = dict  # {"name": ..., "args": [...]} or {"name": ..., "calls": [[method, [args]], ...]}


# ------------------------------------------------------------------ coding-algo


def top_flagged_accounts(rng: random.Random) -> list[Case]:
    def stream(m: int, n: int, accounts: int, heavy: int, tops: int, k: int) -> list:
        calls: list = [["__init__", [m]]]
        for i in range(n):
            if rng.random() < 0.4:  # a few heavy hitters over a long tail of rare accounts
                acct = f"h{rng.randrange(heavy)}"
            else:
                acct = f"u{rng.randrange(accounts)}"
            calls.append(["add", [acct]])
            if tops and i % (n // tops) == n // tops - 1:
                calls.append(["top", [k]])
        return calls

    return [
        {"name": "random-small-m", "calls": stream(5, 400, 30, 3, 8, 5)},
        {"name": "random-medium", "calls": stream(40, 3000, 400, 10, 10, 15)},
        {"name": "random-all-tail", "calls": stream(8, 600, 600, 1, 6, 8)},
        {"name": "large-long-tail", "calls": stream(3000, 35000, 200000, 50, 10, 20)},
    ]


def withdrawal_median_tracker(rng: random.Random) -> list[Case]:
    def stream(n: int, high: int, p_remove: float, p_median: float, floats: bool) -> list:
        calls: list = [["__init__", []]]
        live: list = []
        for _ in range(n):
            u = rng.random()
            if live and u < p_remove:
                if rng.random() < 0.1:
                    calls.append(["remove", [rng.randrange(high) + 0.5]])  # never added
                else:
                    i = rng.randrange(len(live))
                    live[i], live[-1] = live[-1], live[i]
                    calls.append(["remove", [live.pop()]])
            elif u < p_remove + p_median:
                calls.append(["median", []])
            else:
                x = rng.randrange(high)
                if floats and rng.random() < 0.3:
                    x = x + rng.choice([0.25, 0.5, 0.75])
                live.append(x)
                calls.append(["add", [x]])
        return calls

    return [
        {"name": "random-few-values", "calls": stream(500, 8, 0.3, 0.3, False)},
        {"name": "random-floats", "calls": stream(800, 100, 0.3, 0.3, True)},
        {"name": "random-heavy-removal", "calls": stream(1500, 50, 0.45, 0.2, True)},
        {"name": "large-mixed", "calls": stream(38000, 10**6, 0.25, 0.35, False)},
    ]


def risk_score_lru_cache(rng: random.Random) -> list[Case]:
    def stream(capacity: int, ttl: int, n: int, accounts: int, max_step: int) -> list:
        calls: list = [["__init__", [capacity, ttl]]]
        now = 0
        for _ in range(n):
            now += rng.randrange(max_step + 1)
            acct = f"a{rng.randrange(accounts)}"
            if rng.random() < 0.5:
                calls.append(["get", [acct, now]])
            else:
                calls.append(["put", [acct, rng.randrange(1000) / 1000, now]])
        return calls

    return [
        {"name": "random-small", "calls": stream(3, 10, 400, 8, 3)},
        {"name": "random-ttl-shorter-than-reuse", "calls": stream(6, 4, 600, 20, 2)},
        {"name": "random-medium", "calls": stream(50, 200, 3000, 120, 1)},
        {"name": "large-mostly-fresh", "calls": stream(10000, 40000, 25000, 15000, 1)},
    ]


def withdrawal_rate_limiter(rng: random.Random) -> list[Case]:
    def stream(cap: int, window: int, n: int, users: int, max_amount: int, max_step: int,
               p_remaining: float) -> list:
        calls: list = [["__init__", [cap, window]]]
        ts = 0
        for _ in range(n):
            ts += rng.randrange(max_step + 1)
            user = f"u{rng.randrange(users)}"
            if rng.random() < p_remaining:
                calls.append(["remaining", [user, ts]])
            else:
                calls.append(["allow", [user, ts, rng.randrange(1, max_amount + 1)]])
        return calls

    return [
        {"name": "random-small", "calls": stream(100, 10, 500, 3, 60, 2, 0.2)},
        {"name": "random-many-users", "calls": stream(1000, 50, 2000, 25, 400, 1, 0.15)},
        {"name": "random-window-one", "calls": stream(10, 1, 400, 2, 6, 1, 0.2)},
        {"name": "large-one-user-no-expiry", "calls": stream(10**15, 10**9, 28000, 1, 1000, 1, 0.1)},
    ]


def split_transfer_pairs(rng: random.Random) -> list[Case]:
    def stream(target: int, gap: int, lateness: int, n: int, max_amount: int, max_step: int) -> list:
        calls: list = [["__init__", [target, gap, lateness]]]
        latest = 10_000
        for _ in range(n):
            if rng.random() < 0.5:
                latest += rng.randrange(max_step + 1)
                ts = latest
            else:
                ts = latest - rng.randrange(lateness + 1)  # late, within the bound
            calls.append(["push", [ts, rng.randrange(1, max_amount + 1)]])
            if rng.random() < 0.1:
                calls.append(["stored", []])
        return calls

    return [
        {"name": "random-small", "calls": stream(10, 3, 4, 400, 9, 2)},
        {"name": "random-no-lateness", "calls": stream(12, 5, 0, 400, 11, 2)},
        {"name": "random-gap-zero", "calls": stream(8, 0, 3, 500, 7, 1)},
        {"name": "random-medium", "calls": stream(200, 40, 30, 2500, 199, 2)},
        {"name": "large-wide-window", "calls": stream(200, 2000, 1000, 35000, 199, 2)},
    ]


def merge_session_windows(rng: random.Random) -> list[Case]:
    def stream(n: int, horizon: int, max_len: int, p_query: float) -> list:
        calls: list = [["__init__", []]]
        for _ in range(n):
            u = rng.random()
            if u < p_query / 2:
                calls.append(["window_at", [rng.randrange(horizon)]])
            elif u < p_query:
                calls.append(["count", []])
            else:
                start = rng.randrange(horizon)
                calls.append(["add", [start, start + rng.randrange(max_len + 1)]])
        return calls

    return [
        {"name": "random-small", "calls": stream(400, 100, 4, 0.4)},
        {"name": "random-points", "calls": stream(400, 60, 0, 0.4)},
        {"name": "random-medium", "calls": stream(2000, 20000, 30, 0.3)},
        {"name": "large-sparse", "calls": stream(20000, 10**7, 300, 0.1)},
    ]


# ------------------------------------------------------------------ coding-ml


def rolling_account_features(rng: random.Random) -> list[Case]:
    def stream(window: int, n: int, accounts: int, p_hot: float, max_step: int, max_amount: int) -> list:
        calls: list = [["__init__", [window]]]
        ts = 0
        for _ in range(n):
            ts += rng.randrange(max_step + 1)
            acct = "hot" if rng.random() < p_hot else f"a{rng.randrange(accounts)}"
            calls.append(["push", [acct, ts, rng.randrange(-5, max_amount)]])
        return calls

    return [
        {"name": "random-small", "calls": stream(5, 400, 3, 0.3, 2, 20)},
        {"name": "random-many-accounts", "calls": stream(30, 2500, 40, 0.2, 1, 1000)},
        {"name": "random-window-one", "calls": stream(1, 300, 2, 0.5, 1, 9)},
        {"name": "large-one-hot-account", "calls": stream(10**6, 18000, 50, 0.9, 1, 1000)},
    ]


def roc_auc_ties(rng: random.Random) -> list[Case]:
    def rows(n: int, p_pos: float, decimals: int, neg_rate: float) -> list:
        # Stratified sampling: legitimate rows of the "small" segment (which also score
        # lower) were kept at neg_rate, so each stands for 1 / neg_rate rows.
        scores, labels, weights = [], [], []
        for _ in range(n):
            y = int(rng.random() < p_pos)
            small = not y and rng.random() < 0.7
            mean = 0.6 if y else (0.3 if small else 0.5)
            scores.append(round(min(1.0, max(0.0, rng.gauss(mean, 0.2))), decimals))
            labels.append(y)
            weights.append(round(1 / neg_rate) if small else 1)
        return [scores, labels, weights]

    def mixed(n: int) -> list:
        scores = [rng.randrange(20) for _ in range(n)]
        labels = [rng.randrange(2) for _ in range(n)]
        weights = [rng.choice([0.5, 1, 2.25, 10]) for _ in range(n)]
        return [scores, labels, weights]

    return [
        {"name": "random-stratified", "args": rows(500, 0.2, 2, 0.02)},
        {"name": "random-mixed-weights", "args": mixed(400)},
        {"name": "random-coarse-ties", "args": rows(800, 0.5, 1, 0.4)},
        {"name": "large-rounded-scores", "args": rows(60000, 0.1, 3, 0.02)},
    ]


def stratified_reservoir(rng: random.Random) -> list[Case]:
    def args(n: int, tiers: int, k: int, max_weight: int, digits: int) -> list:
        stream = [[f"t{rng.randrange(tiers)}", f"x{i}", rng.randrange(1, max_weight + 1)] for i in range(n)]
        scale = 10**digits
        rand = [rng.randrange(1, scale) / scale for _ in range(n)]
        return [stream, k, rand]

    return [
        {"name": "random-three-tiers", "args": args(300, 3, 4, 5, 6)},
        {"name": "random-coarse-draws", "args": args(400, 2, 6, 3, 1)},
        {"name": "random-medium", "args": args(3000, 5, 40, 100, 6)},
        {"name": "large-big-sample", "args": args(30000, 1, 8000, 99, 5)},
    ]


def oof_target_encoding(rng: random.Random) -> list[Case]:
    def rows(n: int, span: int, categories: int, p_pos: float) -> list:
        return [[rng.randrange(span), f"c{rng.randrange(categories)}", int(rng.random() < p_pos)]
                for _ in range(n)]

    return [
        {"name": "random-small", "args": [rows(200, 40, 5, 0.3), 2.0]},
        {"name": "random-many-ties", "args": [rows(600, 10, 8, 0.5), 0.5]},
        {"name": "random-medium", "args": [rows(2500, 100000, 60, 0.1), 10.0]},
        {"name": "large-long-history", "args": [rows(23000, 10**6, 300, 0.05), 2.0]},
    ]


def ewm_drift_alerts(rng: random.Random) -> list[Case]:
    def events(n: int, accounts: int, p_spike: float) -> list:
        base = {f"m{a}": rng.uniform(-50, 50) for a in range(accounts)}
        out = []
        for _ in range(n):
            acct = f"m{rng.randrange(accounts)}"
            x = base[acct] + rng.gauss(0, 1)
            if rng.random() < p_spike:
                x += rng.choice([-1, 1]) * rng.uniform(5, 20)
            out.append([acct, round(x, 3)])
        return out

    return [
        {"name": "random-three-accounts", "args": [events(300, 3, 0.05), 0.2, 3.0, 5]},
        {"name": "random-many-accounts", "args": [events(2000, 40, 0.03), 0.1, 3.5, 10]},
        {"name": "random-no-warmup", "args": [events(500, 6, 0.1), 0.5, 2.0, 0]},
        {"name": "random-long-warmup", "args": [events(800, 4, 0.08), 0.05, 2.5, 150]},
    ]


# ------------------------------------------------------------------ driver

PARTS: dict[tuple[str, str, int], tuple[int, Callable[[random.Random], list[Case]]]] = {
    ("coding-algo", "top-flagged-accounts", 1): (1601, top_flagged_accounts),
    ("coding-algo", "withdrawal-median-tracker", 1): (1602, withdrawal_median_tracker),
    ("coding-algo", "risk-score-lru-cache", 1): (1603, risk_score_lru_cache),
    ("coding-algo", "withdrawal-rate-limiter", 1): (1604, withdrawal_rate_limiter),
    ("coding-algo", "split-transfer-pairs", 1): (1605, split_transfer_pairs),
    ("coding-algo", "merge-session-windows", 1): (1606, merge_session_windows),
    ("coding-ml", "rolling-account-features", 1): (1611, rolling_account_features),
    ("coding-ml", "roc-auc-ties", 1): (1612, roc_auc_ties),
    ("coding-ml", "stratified-reservoir", 1): (1613, stratified_reservoir),
    ("coding-ml", "oof-target-encoding", 1): (1614, oof_target_encoding),
    ("coding-ml", "ewm-drift-alerts", 1): (1615, ewm_drift_alerts),
}


def _reference(qid: str, k: int):
    path = SOLUTIONS / f"{qid}-part-{k}.py"
    spec = importlib.util.spec_from_file_location(f"ref_{qid.replace('-', '_')}_{k}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_case(module, entry: str, case: Case):
    """What `entry` of `module` returns on `case`, as the judge would call it."""
    if "calls" in case:
        obj, out = None, []
        for method, args in case["calls"]:
            if method == "__init__":
                obj = getattr(module, entry)(*args)
                out.append(None)
            else:
                out.append(getattr(obj, method)(*args))
        return out
    return getattr(module, entry)(*case["args"])


def _entry(module) -> str:
    names = [n for n, v in vars(module).items()
             if not n.startswith("_") and getattr(v, "__module__", None) == module.__name__]
    assert len(names) == 1, names
    return names[0]


def build(pack: str, qid: str, k: int) -> str:
    seed, make = PARTS[pack, qid, k]
    module = _reference(qid, k)
    entry = _entry(module)
    cases = make(random.Random(seed))
    for case in cases:
        case["expected"] = run_case(module, entry, case)
    return json.dumps(cases, separators=(",", ":")) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for pack, qid, k in PARTS:
        path = QUESTIONS / pack / f"{qid}-part-{k}.json"
        text = build(pack, qid, k)
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: {len(text):,} bytes")
    if stale:
        print("out of date (run tools/gen_part_cases.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
