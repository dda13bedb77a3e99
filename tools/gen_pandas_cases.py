"""Generate the examples, hidden tests and large cases of questions/coding-pandas.yaml.

    .venv/bin/python tools/gen_pandas_cases.py          # rewrite the pack's cases and JSON files
    .venv/bin/python tools/gen_pandas_cases.py --check  # fail if anything would change

Every case's input is written below (small ones by hand, larger ones from seeded random
generators, so the output is the same on every run). Its `expected` value is computed by
the reference in solutions/coding/<id>.py and must be reproduced exactly (under the
question's tolerances) by the independent loop-based answer in
tests/fixtures/independent/coding-pandas/<id>.py, with string columns built both as
object and as pandas' str dtype. Any disagreement stops the run.

Not part of drill: the judge that will run these cases lands separately.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml
from pandas_cases_lib import T, case, check_roundtrip, render_cases, rows, splice
from pandas_harness import ROOT, build_call, check_dtypes, compare, load_function, to_plain

PACK = ROOT / "questions" / "coding-pandas.yaml"
INDEPENDENT = ROOT / "tests" / "fixtures" / "independent" / "coding-pandas"


def nan() -> float:
    return float("nan")


NaN = float("nan")


def iso(ns: int) -> str:
    """Integer seconds since 2024-01-01 -> ISO string."""
    base = np.datetime64("2024-01-01T00:00:00")
    return str(base + np.timedelta64(int(ns), "s"))


# ====================================================================== 1 velocity

W_COLS = ("account_id", "ts", "amount_usd")


def _velocity_random(rng: np.random.Generator, n: int, accounts: list[str], span_s: int,
                     nan_share: float = 0.05, nat_share: float = 0.02, tie_share: float = 0.15) -> dict:
    acc = rng.choice(accounts, size=n).tolist()
    secs = rng.integers(0, span_s, size=n)
    # Re-use earlier timestamps of the same account to make same-second batches.
    for i in range(1, n):
        if rng.random() < tie_share:
            j = int(rng.integers(0, i))
            acc[i], secs[i] = acc[j], secs[j]
    # Amounts are multiples of 0.25: exact in binary, so every summation order agrees.
    amounts = (rng.integers(1, 400_000, size=n) * 0.25).tolist()
    ts = [iso(s) for s in secs]
    for i in range(n):
        if rng.random() < nan_share:
            amounts[i] = NaN
        if rng.random() < nat_share:
            ts[i] = None
    return {"account_id": acc, "ts": ts, "amount_usd": amounts}


def velocity_cases(rng):
    r = lambda *v: rows(W_COLS, *v)  # noqa: E731
    examples = [
        case("one-account", r(("acc1", T("03-01 10:00"), 100.0), ("acc1", T("03-01 10:30"), 50.0),
                              ("acc1", T("03-01 11:00"), 25.0), ("acc1", T("03-01 11:30"), 10.0))),
        case("same-second-batch", r(("a", T("03-01 09:00"), 5.0), ("a", T("03-01 09:00"), 7.0),
                                    ("a", T("03-01 09:00:01"), 1.0))),
        case("empty", []),
    ]
    tests = [
        case("empty-frame", []),
        case("single-row", r(("solo", T("03-05 08:15:30"), 42.5))),
        case("one-hour-left-edge-included", r(("a", T("03-01 10:00"), 8.0), ("a", T("03-01 11:00"), 4.0))),
        case("one-second-past-the-hour", r(("a", T("03-01 10:00"), 8.0), ("a", T("03-01 11:00:01"), 4.0))),
        case("one-second-inside-the-hour", r(("a", T("03-01 10:00"), 8.0), ("a", T("03-01 10:59:59"), 4.0))),
        case("day-left-edge-included", r(("a", T("03-01 10:00"), 8.0), ("a", T("03-02 10:00"), 4.0),
                                         ("a", T("03-02 10:00:01"), 2.0))),
        case("batch-then-later", r(("a", T("03-01 10:00"), 1.0), ("a", T("03-01 10:00"), 2.0),
                                   ("a", T("03-01 10:00"), 4.0), ("a", T("03-01 10:20"), 8.0),
                                   ("a", T("03-01 10:20"), 16.0))),
        case("nan-amounts-count-not-sum", r(("a", T("03-01 10:00"), NaN), ("a", T("03-01 10:10"), NaN),
                                            ("a", T("03-01 10:20"), 3.5), ("a", T("03-01 10:30"), NaN))),
        case("nat-rows", r(("a", None, 9.0), ("a", T("03-01 10:00"), 2.0), ("a", None, 9.0),
                           ("a", T("03-01 10:05"), 3.0), ("b", None, 1.0))),
        case("accounts-do-not-mix", r(("a", T("03-01 10:00"), 1.0), ("b", T("03-01 10:01"), 2.0),
                                      ("a", T("03-01 10:02"), 4.0), ("b", T("03-01 10:03"), 8.0),
                                      ("c", T("03-01 10:04"), 16.0))),
        case("unsorted-input-order-kept", r(("a", T("03-01 12:00"), 3.0), ("a", T("03-01 10:00"), 1.0),
                                            ("b", T("03-01 11:00"), 7.0), ("a", T("03-01 11:00"), 2.0),
                                            ("a", T("02-29 12:00"), 0.25))),
        case("gap-longer-than-a-day", r(("a", T("03-01 10:00"), 5.0), ("a", T("03-04 10:00"), 6.0),
                                        ("a", T("03-04 10:30"), 7.0))),
        case("whale-leaves-the-window", r(("w", T("03-01 00:00"), 1e12), ("w", T("03-01 12:00"), 0.25),
                                          ("w", T("03-02 00:00"), 0.5), ("w", T("03-02 00:00:01"), 0.75),
                                          ("w", T("03-02 12:00:01"), 1.0))),
        case("leap-day-and-month-end", r(("a", T("02-28 23:30"), 10.0), ("a", T("02-29 00:15"), 20.0),
                                         ("a", T("02-29 23:59:59"), 30.0), ("a", T("03-01 00:15"), 40.0))),
        case("random-two-accounts-with-batches", _velocity_random(rng, 40, ["x", "y"], 4 * 3600)),
        case("random-many-accounts", _velocity_random(rng, 80, [f"u{i}" for i in range(6)], 2 * 86400)),
    ]
    large = [
        case("large-hot-account",
             _velocity_random(rng, 9_000, ["hot"] * 40 + [f"c{i}" for i in range(400)], 3 * 86400,
                              nan_share=0.02, nat_share=0.005, tie_share=0.1)),
    ]
    return examples, tests, large


# ====================================================================== 2 as-of snapshots

L_COLS = ("label_id", "account_id", "decision_ts", "is_fraud")
S_COLS = ("account_id", "computed_at", "risk_score", "n_devices_30d")


def _asof_random(rng, n_labels: int, n_snaps: int, accounts: int, span_h: int) -> tuple[dict, dict]:
    acc = [f"a{i}" for i in range(accounts)]
    s_acc = rng.choice(acc, size=n_snaps).tolist()
    s_sec = (rng.integers(0, span_h * 12, size=n_snaps) * 300).tolist()  # 5-minute grid: ties happen
    for i in range(1, n_snaps):
        if rng.random() < 0.1:  # a recomputation: same account and time, new values
            j = int(rng.integers(0, i))
            s_acc[i], s_sec[i] = s_acc[j], s_sec[j]
    scores = np.round(rng.random(n_snaps), 4).tolist()
    scores = [NaN if rng.random() < 0.05 else s for s in scores]
    snaps = {"account_id": s_acc, "computed_at": [iso(s) for s in s_sec], "risk_score": scores,
             "n_devices_30d": rng.integers(0, 12, size=n_snaps).tolist()}
    l_sec = (rng.integers(0, span_h * 12, size=n_labels) * 300).tolist()
    l_ts = [None if rng.random() < 0.03 else iso(s) for s in l_sec]
    labels = {"label_id": [f"L{i:05d}" for i in range(n_labels)], "account_id": rng.choice(acc, size=n_labels).tolist(),
              "decision_ts": l_ts, "is_fraud": rng.integers(0, 2, size=n_labels).tolist()}
    return labels, snaps


def asof_cases(rng):
    lab = lambda *v: rows(L_COLS, *v)  # noqa: E731
    snap = lambda *v: rows(S_COLS, *v)  # noqa: E731
    base_snaps = snap(("a", T("03-01 00:00"), 0.2, 1), ("a", T("03-01 06:00"), 0.4, 2),
                      ("b", T("03-01 05:00"), 0.9, 7), ("a", T("03-01 12:00"), 0.8, 3))
    examples = [
        case("latest-earlier-snapshot",
             lab(("L1", "a", T("03-01 07:30"), 0), ("L2", "b", T("03-01 06:00"), 1), ("L3", "a", T("03-01 13:00"), 1)),
             base_snaps, 24),
        case("written-at-decision-time-is-too-late",
             lab(("L1", "a", T("03-01 06:00"), 0)), base_snaps, 24),
        case("max-age-boundary", lab(("L1", "b", T("03-02 06:00"), 1), ("L2", "b", T("03-02 05:00"), 0)), base_snaps, 24),
    ]
    tests = [
        case("both-empty", [], [], 6),
        case("no-snapshots", lab(("L1", "a", T("03-01 07:00"), 1), ("L2", "b", None, 0)), [], 6),
        case("no-labels", [], base_snaps, 6),
        case("one-second-before", lab(("L1", "a", T("03-01 00:00:01"), 0)), snap(("a", T("03-01 00:00"), 0.5, 4)), 1),
        case("exact-decision-time-falls-back",
             lab(("L1", "a", T("03-01 12:00"), 0)),
             snap(("a", T("03-01 11:00"), 0.1, 1), ("a", T("03-01 12:00"), 0.9, 9)), 3),
        case("age-exactly-max-included", lab(("L1", "a", T("03-01 06:00"), 1)),
             snap(("a", T("03-01 00:00"), 0.3, 2)), 6),
        case("age-one-second-over-excluded", lab(("L1", "a", T("03-01 06:00:01"), 1)),
             snap(("a", T("03-01 00:00"), 0.3, 2)), 6),
        case("recomputation-last-row-wins",
             lab(("L1", "a", T("03-01 09:00"), 0)),
             snap(("a", T("03-01 08:00"), 0.11, 1), ("b", T("03-01 08:00"), 0.5, 5),
                  ("a", T("03-01 07:00"), 0.05, 0), ("a", T("03-01 08:00"), 0.22, 2),
                  ("a", T("03-01 08:00"), 0.33, 3)), 4),
        case("recomputation-before-original-in-time-order",
             lab(("L1", "a", T("03-01 09:00"), 0), ("L2", "a", T("03-01 08:30"), 1)),
             snap(("a", T("03-01 08:00"), 0.7, 7), ("a", T("03-01 06:00"), 0.6, 6),
                  ("a", T("03-01 08:00"), 0.2, 2)), 2),
        case("nan-score-is-still-the-snapshot",
             lab(("L1", "a", T("03-01 10:00"), 1)),
             snap(("a", T("03-01 08:00"), 0.4, 2), ("a", T("03-01 09:00"), NaN, 3)), 5),
        case("nat-decision-time", lab(("L1", "a", None, 1), ("L2", "a", T("03-01 10:00"), 0), ("L3", "b", None, 0)),
             snap(("a", T("03-01 09:00"), 0.4, 2)), 5),
        case("other-account-closer-ignored",
             lab(("L1", "a", T("03-01 10:00"), 0)),
             snap(("b", T("03-01 09:59"), 0.99, 9), ("a", T("03-01 08:00"), 0.1, 1)), 5),
        case("future-snapshot-ignored",
             lab(("L1", "a", T("03-01 10:00"), 0)),
             snap(("a", T("03-01 10:00:01"), 0.99, 9), ("a", T("03-01 09:00"), 0.1, 1)), 5),
        case("labels-order-kept",
             lab(("L3", "b", T("03-01 12:00"), 1), ("L1", "a", T("03-01 07:00"), 0), ("L2", "a", T("03-01 13:00"), 0),
                 ("L4", "a", T("03-01 07:00"), 1)),
             base_snaps, 12),
        case("random-small", *_asof_random(rng, 40, 50, 5, 48), 6),
    ]
    large = [case("large-many-accounts", *_asof_random(rng, 4000, 8000, 800, 24 * 14), 36)]
    return examples, tests, large


# ====================================================================== 3 maturity

X_COLS = ("txn_id", "product", "txn_ts", "fraud_reported_at")
M_COLS = ("product", "maturity_days")
STD_MATURITY = rows(M_COLS, ("card_deposit", 60), ("bank_transfer", 14), ("crypto_withdrawal", 3))


def _maturity_random(rng, n: int) -> dict:
    products = ["card_deposit", "bank_transfer", "crypto_withdrawal", "p2p_trade"]
    prod = rng.choice(products, size=n).tolist()
    secs = rng.integers(0, 90 * 86400, size=n)
    reported = []
    for s in secs:
        if rng.random() < 0.3:
            reported.append(iso(int(s) + int(rng.integers(0, 70 * 86400))))
        else:
            reported.append(None)
    return {"txn_id": [f"t{i:03d}" for i in range(n)], "product": prod,
            "txn_ts": [iso(int(s)) for s in secs], "fraud_reported_at": reported}


def maturity_cases(rng):
    x = lambda *v: rows(X_COLS, *v)  # noqa: E731
    m = lambda *v: rows(M_COLS, *v)  # noqa: E731
    examples = [
        case("two-products",
             x(("t1", "card_deposit", T("01-02 10:00"), None),
               ("t2", "card_deposit", T("01-03 09:00"), T("02-20 00:00")),
               ("t3", "card_deposit", T("02-20 09:00"), T("02-21 00:00")),
               ("t4", "crypto_withdrawal", T("02-25 12:00"), None),
               ("t5", "crypto_withdrawal", T("02-27 12:00"), None)),
             STD_MATURITY, "2024-03-01", 30),
        case("report-after-window-is-not-fraud",
             x(("t1", "crypto_withdrawal", T("02-01 00:00"), T("02-04 00:00")),
               ("t2", "crypto_withdrawal", T("02-01 00:00"), T("02-04 00:00:01"))),
             STD_MATURITY, "2024-03-01", 30),
        case("empty", [], STD_MATURITY, "2024-03-01", 30),
    ]
    tests = [
        case("empty-txns", [], STD_MATURITY, "2024-06-01", 7),
        case("single-immature", x(("t1", "bank_transfer", T("05-25 10:00"), T("05-26 10:00"))),
             STD_MATURITY, "2024-06-01", 7),
        case("window-closes-exactly-at-snapshot",
             x(("t1", "bank_transfer", T("05-18 00:00"), T("06-01 00:00")),
               ("t2", "bank_transfer", T("05-18 00:00:01"), None)),
             STD_MATURITY, "2024-06-01", 7),
        case("report-exactly-at-window-end",
             x(("t1", "crypto_withdrawal", T("05-01 08:00"), T("05-04 08:00")),
               ("t2", "crypto_withdrawal", T("05-01 08:00"), T("05-04 08:00:01")),
               ("t3", "crypto_withdrawal", T("05-01 08:00"), T("05-01 08:00"))),
             STD_MATURITY, "2024-06-01", 7),
        case("immature-report-not-counted",
             x(("t1", "card_deposit", T("05-01 00:00"), T("05-02 00:00")),
               ("t2", "card_deposit", T("03-01 00:00"), None)),
             STD_MATURITY, "2024-06-01", 7),
        case("no-mature-rows-nan-rate",
             x(("t1", "card_deposit", T("05-01 00:00"), T("05-02 00:00")),
               ("t2", "crypto_withdrawal", T("05-01 00:00"), None)),
             STD_MATURITY, "2024-06-01", 7),
        case("unknown-product-uses-default",
             x(("t1", "otc_desk", T("05-20 00:00"), T("05-21 00:00")),
               ("t2", "otc_desk", T("05-25 00:00:01"), None),
               ("t3", "otc_desk", T("05-25 00:00"), None)),
             STD_MATURITY, "2024-06-01", 7),
        case("zero-day-maturity",
             x(("t1", "instant", T("05-31 23:59:59"), T("05-31 23:59:59")),
               ("t2", "instant", T("05-31 12:00"), T("05-31 12:00:01")),
               ("t3", "instant", T("06-01 00:00"), None),
               ("t4", "instant", T("06-01 00:00:01"), None)),
             m(("instant", 0)), "2024-06-01", 30),
        case("all-fraud",
             x(("t1", "bank_transfer", T("04-01 00:00"), T("04-02 00:00")),
               ("t2", "bank_transfer", T("04-03 00:00"), T("04-03 00:00"))),
             STD_MATURITY, "2024-06-01", 7),
        case("products-sorted-table-only-products-absent",
             x(("t1", "p2p_trade", T("01-01 00:00"), None), ("t2", "bank_transfer", T("01-01 00:00"), None),
               ("t3", "card_deposit", T("01-01 00:00"), T("01-05 00:00")), ("t4", "bank_transfer", T("01-01 00:00"), None)),
             STD_MATURITY, "2024-06-01", 10),
        case("future-transactions-immature",
             x(("t1", "crypto_withdrawal", T("06-02 00:00"), None), ("t2", "crypto_withdrawal", T("05-01 00:00"), None)),
             STD_MATURITY, "2024-06-01", 7),
        case("default-shorter-than-table",
             x(("t1", "card_deposit", T("05-20 00:00"), None), ("t2", "gift_card", T("05-20 00:00"), T("05-21 00:00"))),
             STD_MATURITY, "2024-06-01", 1),
        case("random-mixed", _maturity_random(rng, 60), STD_MATURITY, "2024-03-15", 21),
    ]
    return examples, tests, []


# ====================================================================== 4 sessions

E_COLS = ("user_id", "ts", "event_type")


def _sessions_random(rng, n: int, users: int, span_s: int, gap_s: int, nat_share: float = 0.02) -> dict:
    """Bursts of events per user: gaps inside a burst mostly below the threshold, some exactly
    at it or one second over it, and long silences between bursts."""
    kinds = ["login", "trade", "withdrawal", "deposit", "withdrawal_request"]
    u, secs = [], []
    while len(u) < n:
        user = f"u{int(rng.integers(0, users)):03d}"
        t = int(rng.integers(0, span_s))
        for _ in range(int(rng.geometric(0.25))):
            u.append(user)
            secs.append(t)
            r = rng.random()
            if r < 0.1:
                t += gap_s  # exactly the threshold: same session
            elif r < 0.15:
                t += gap_s + 1  # one second over: a new session
            elif r < 0.25:
                t += 0  # same timestamp
            else:
                t += int(rng.exponential(gap_s / 3))
    u, secs = u[:n], secs[:n]
    order = rng.permutation(n)  # input in any order
    ts = [None if rng.random() < nat_share else iso(secs[i]) for i in order]
    return {"user_id": [u[i] for i in order], "ts": ts, "event_type": rng.choice(kinds, size=n).tolist()}


def sessions_cases(rng):
    e = lambda *v: rows(E_COLS, *v)  # noqa: E731
    examples = [
        case("two-sessions", e(("u1", T("03-01 10:00"), "login"), ("u1", T("03-01 10:10"), "withdrawal"),
                               ("u1", T("03-01 11:00"), "login")), 30),
        case("gap-exactly-threshold-continues", e(("u1", T("03-01 10:00"), "login"), ("u1", T("03-01 10:30"), "trade"),
                                                  ("u1", T("03-01 11:00:01"), "login")), 30),
        case("empty", [], 30),
    ]
    tests = [
        case("empty-frame", [], 15),
        case("single-event", e(("u9", T("03-01 10:00:05"), "withdrawal")), 15),
        case("one-second-over-splits", e(("u1", T("03-01 10:00"), "login"), ("u1", T("03-01 10:15:01"), "login")), 15),
        case("exact-gap-joins", e(("u1", T("03-01 10:00"), "login"), ("u1", T("03-01 10:15"), "login"),
                                  ("u1", T("03-01 10:30"), "trade")), 15),
        case("same-timestamp-events", e(("u1", T("03-01 10:00"), "login"), ("u1", T("03-01 10:00"), "withdrawal"),
                                        ("u1", T("03-01 12:00"), "withdrawal"), ("u1", T("03-01 12:00"), "withdrawal")), 5),
        case("chain-of-short-gaps", e(("u1", T("03-01 10:00"), "login"), ("u1", T("03-01 10:09"), "trade"),
                                      ("u1", T("03-01 10:18"), "trade"), ("u1", T("03-01 10:27"), "trade"),
                                      ("u1", T("03-01 10:36"), "withdrawal")), 10),
        case("unsorted-input", e(("u1", T("03-01 12:00"), "login"), ("u1", T("03-01 10:00"), "login"),
                                 ("u1", T("03-01 10:05"), "withdrawal"), ("u1", T("03-01 11:58"), "trade")), 20),
        case("nat-rows-ignored", e(("u1", None, "withdrawal"), ("u1", T("03-01 10:00"), "login"),
                                   ("u2", None, "login"), ("u1", None, "withdrawal")), 20),
        case("users-interleaved-and-sorted", e(("zed", T("03-01 10:00"), "login"), ("amy", T("03-01 10:01"), "login"),
                                               ("zed", T("03-01 10:02"), "withdrawal"), ("amy", T("03-01 13:00"), "trade"),
                                               ("bob", T("03-01 09:00"), "withdrawal")), 60),
        case("only-exact-withdrawal-counts", e(("u1", T("03-01 10:00"), "withdrawal_request"),
                                               ("u1", T("03-01 10:01"), "Withdrawal"),
                                               ("u1", T("03-01 10:02"), "withdrawal")), 10),
        case("zero-gap", e(("u1", T("03-01 10:00"), "login"), ("u1", T("03-01 10:00"), "trade"),
                           ("u1", T("03-01 10:00:01"), "withdrawal"), ("u1", T("03-01 10:00:01"), "login")), 0),
        case("across-midnight", e(("u1", T("03-01 23:50"), "login"), ("u1", T("03-02 00:10"), "withdrawal"),
                                  ("u1", T("03-02 00:45"), "login")), 30),
        case("random-bursts", _sessions_random(rng, 70, 5, 6 * 3600, 20 * 60), 20),
    ]
    large = [case("large-many-users", _sessions_random(rng, 14_000, 900, 7 * 86400, 30 * 60, nat_share=0.005), 30)]
    return examples, tests, large


# ====================================================================== 5 retention

SU_COLS = ("user_id", "signup_ts")
AC_COLS = ("user_id", "ts")


def _retention_random(rng, users: int, acts: int) -> tuple[dict, dict]:
    ids = [f"u{i:03d}" for i in range(users)]
    s_sec = rng.integers(0, 35 * 86400, size=users)
    signup = [None if rng.random() < 0.04 else iso(int(s)) for s in s_sec]
    who = rng.integers(0, users + 5, size=acts)  # a few unknown users
    a_ids, a_ts = [], []
    for w in who:
        uid = ids[w] if w < users else f"ghost{w}"
        base = int(s_sec[w]) if w < users else 0
        a_ids.append(uid)
        a_ts.append(iso(max(0, base + int(rng.integers(-2 * 86400, 40 * 86400)))))
    return {"user_id": ids, "signup_ts": signup}, {"user_id": a_ids, "ts": a_ts}


def retention_cases(rng):
    s = lambda *v: rows(SU_COLS, *v)  # noqa: E731
    a = lambda *v: rows(AC_COLS, *v)  # noqa: E731
    examples = [
        case("one-cohort",
             s(("u1", T("03-04 10:00")), ("u2", T("03-06 09:00"))),
             a(("u1", T("03-05 10:00")), ("u1", T("03-12 10:00")), ("u2", T("03-20 09:00"))), 3),
        case("seven-days-is-week-one",
             s(("u1", T("03-04 10:00"))),
             a(("u1", T("03-11 09:59:59")), ("u1", T("03-11 10:00"))), 2),
        case("empty", [], [], 2),
    ]
    tests = [
        case("empty-with-activity", [], a(("u1", T("03-05 10:00"))), 3),
        case("signups-without-activity", s(("u1", T("03-04 10:00")), ("u2", T("03-13 10:00"))), [], 2),
        case("sunday-night-vs-monday-midnight",
             s(("sun", T("03-10 23:59:59")), ("mon", T("03-11 00:00")), ("wed", T("03-06 12:00"))),
             a(("sun", T("03-11 00:00")), ("mon", T("03-11 00:00")), ("wed", T("03-14 12:00"))), 2),
        case("activity-before-signup-ignored",
             s(("u1", T("03-04 10:00"))), a(("u1", T("03-04 09:59:59")), ("u1", T("03-01 00:00"))), 1),
        case("activity-at-signup-is-week-zero", s(("u1", T("03-04 10:00"))), a(("u1", T("03-04 10:00"))), 1),
        case("beyond-horizon-ignored",
             s(("u1", T("03-04 10:00")), ("u2", T("03-04 11:00"))),
             a(("u1", T("03-18 10:00")), ("u2", T("03-18 09:59:59"))), 2),
        case("repeat-activity-counts-once",
             s(("u1", T("03-04 10:00")), ("u2", T("03-04 10:00")), ("u3", T("03-05 10:00")), ("u4", T("03-05 10:00"))),
             a(("u1", T("03-04 11:00")), ("u1", T("03-04 12:00")), ("u1", T("03-05 12:00")), ("u2", T("03-12 12:00"))), 2),
        case("unknown-and-unsigned-users-ignored",
             s(("u1", T("03-04 10:00")), ("legacy", None)),
             a(("ghost", T("03-05 10:00")), ("legacy", T("03-05 10:00")), ("u1", T("03-05 10:00"))), 1),
        case("single-week-horizon", s(("u1", T("03-04 10:00")), ("u2", T("03-04 10:00"))),
             a(("u1", T("03-10 10:00")), ("u2", T("03-11 10:00"))), 1),
        case("cohorts-across-new-year",
             s(("u1", T("2023-12-31 23:00:00")), ("u2", T("2024-01-01 00:00:00")), ("u3", T("2023-12-25 00:00:00"))),
             a(("u1", T("2024-01-08 00:00:00")), ("u2", T("2024-01-08 00:00:00")), ("u3", T("2024-01-01 00:00:00"))), 3),
        case("cohort-weeks-sorted-with-gap",
             s(("late", T("04-01 09:00")), ("early", T("03-04 09:00"))),
             a(("late", T("04-09 09:00")), ("early", T("03-04 09:00"))), 2),
        case("random-cohorts", *_retention_random(rng, 40, 160), 5),
    ]
    return examples, tests, []


# ====================================================================== 6 leakage audit

V_COLS = ("row_id", "feature", "value", "computed_at")
LB_COLS = ("row_id", "label_time")


def _leak_random(rng, n_rows: int) -> tuple[dict, dict]:
    features = ["amt_sum_7d", "n_devices_30d", "kyc_tier", "chargebacks_90d", "ip_risk"]
    # Each feature leaks at its own rate.
    rate = {"amt_sum_7d": 0.0, "n_devices_30d": 0.05, "kyc_tier": 0.2, "chargebacks_90d": 0.6, "ip_risk": 0.05}
    label_sec = rng.integers(86400, 30 * 86400, size=n_rows)
    labels = {"row_id": [f"r{i:03d}" for i in range(n_rows)],
              "label_time": [None if rng.random() < 0.05 else iso(int(s)) for s in label_sec]}
    vals = {"row_id": [], "feature": [], "value": [], "computed_at": []}
    for i in range(n_rows + 3):  # three rows without a label
        rid = f"r{i:03d}"
        lt = int(label_sec[i]) if i < n_rows else 0
        for f in features:
            if rng.random() < 0.1:
                continue
            if rng.random() < 0.03:
                at = None
            elif rng.random() < rate[f]:
                at = iso(lt + int(rng.integers(0, 3)) * int(rng.integers(0, 7200)))
            else:
                at = iso(lt - int(rng.integers(1, 86400)))
            vals["row_id"].append(rid)
            vals["feature"].append(f)
            vals["value"].append(NaN if rng.random() < 0.1 else float(np.round(rng.random() * 100, 2)))
            vals["computed_at"].append(at)
    return vals, labels


def leak_cases(rng):
    v = lambda *x: rows(V_COLS, *x)  # noqa: E731
    lb = lambda *x: rows(LB_COLS, *x)  # noqa: E731
    examples = [
        case("one-leaky-feature",
             v(("r1", "txn_count_1h", 3.0, T("03-01 09:00")), ("r1", "chargebacks_30d", 1.0, T("03-02 00:00")),
               ("r2", "txn_count_1h", 0.0, T("03-01 11:59")), ("r2", "chargebacks_30d", 0.0, T("03-01 11:00"))),
             lb(("r1", T("03-01 10:00")), ("r2", T("03-01 12:00")))),
        case("at-label-time-leaks",
             v(("r1", "kyc_tier", 2.0, T("03-01 10:00")), ("r1", "ip_risk", 0.3, T("03-01 09:59:59"))),
             lb(("r1", T("03-01 10:00")))),
        case("no-leak",
             v(("r1", "kyc_tier", 2.0, T("03-01 09:00"))), lb(("r1", T("03-01 10:00")))),
    ]
    tests = [
        case("empty-frames", [], []),
        case("values-without-labels", v(("r1", "f", 1.0, T("03-02 00:00"))), []),
        case("one-second-before-is-safe", v(("r1", "f", 1.0, T("03-01 09:59:59"))), lb(("r1", T("03-01 10:00")))),
        case("exactly-at-label-time", v(("r1", "f", 1.0, T("03-01 10:00")), ("r2", "f", 1.0, T("03-01 09:00"))),
             lb(("r1", T("03-01 10:00")), ("r2", T("03-01 10:00")))),
        case("unknown-computation-time-leaks",
             v(("r1", "f", 1.0, None), ("r2", "f", 2.0, T("03-01 09:00")), ("r1", "g", 1.0, None),
               ("r2", "g", 1.0, T("03-01 10:30"))),
             lb(("r1", T("03-01 10:00")), ("r2", T("03-01 10:00")))),
        case("unknown-label-time-not-checked",
             v(("r1", "f", 1.0, T("03-09 00:00")), ("r2", "f", 1.0, T("03-09 00:00")), ("r2", "g", 1.0, T("03-01 00:00"))),
             lb(("r1", None), ("r2", T("03-05 00:00")))),
        case("rows-without-label-ignored",
             v(("r1", "f", 1.0, T("03-09 00:00")), ("orphan", "f", 1.0, T("03-09 00:00")), ("orphan", "h", 1.0, None)),
             lb(("r1", T("03-05 00:00")))),
        case("sorted-by-count-then-name",
             v(("r1", "b_feat", 1.0, T("03-02 00:00")), ("r2", "b_feat", 1.0, T("03-02 00:00")),
               ("r1", "a_feat", 1.0, T("03-02 00:00")), ("r2", "a_feat", 1.0, T("03-02 00:00")),
               ("r1", "c_feat", 1.0, T("03-02 00:00")), ("r2", "c_feat", 1.0, T("02-01 00:00")),
               ("r1", "d_feat", 1.0, T("02-01 00:00")), ("r2", "d_feat", 1.0, T("02-01 00:00")),
               ("r3", "c_feat", 1.0, T("02-01 00:00")), ("r3", "a_feat", 1.0, T("02-01 00:00")),
               ("r3", "e_feat", 1.0, T("03-02 00:00"))),
             lb(("r1", T("03-01 00:00")), ("r2", T("03-01 00:00")), ("r3", T("03-01 00:00")))),
        case("nan-values-still-audited", v(("r1", "f", NaN, T("03-02 00:00")), ("r2", "f", NaN, T("02-02 00:00"))),
             lb(("r1", T("03-01 00:00")), ("r2", T("03-01 00:00")))),
        case("max-lead-over-leaks-only",
             v(("r1", "f", 1.0, T("03-01 00:30")), ("r2", "f", 1.0, T("02-01 00:00")), ("r3", "f", 1.0, T("03-03 00:00")),
               ("r4", "f", 1.0, None)),
             lb(("r1", T("03-01 00:00")), ("r2", T("03-01 00:00")), ("r3", T("03-01 00:00")), ("r4", T("03-01 00:00")))),
        case("every-value-leaks",
             v(("r1", "f", 1.0, T("03-01 00:00")), ("r1", "g", 1.0, T("03-01 00:00:01")), ("r2", "f", 1.0, None)),
             lb(("r1", T("03-01 00:00")), ("r2", T("03-01 00:00")))),
        case("far-future-computation", v(("r1", "f", 1.0, T("2025-03-01 00:00:00"))), lb(("r1", T("2024-03-01 00:00:00")))),
        case("random-audit", *_leak_random(rng, 30)),
    ]
    return examples, tests, []


# ====================================================================== 7 latest versions

EV_COLS = ("event_id", "seq", "ingested_at", "account_id", "amount")


def _versions_random(rng, n: int, ids: int) -> dict:
    eid = [f"e{int(i):03d}" for i in rng.integers(0, ids, size=n)]
    seq = rng.integers(1, 4, size=n).tolist()
    ing = [None if rng.random() < 0.1 else iso(int(s)) for s in rng.integers(0, 6, size=n) * 60]
    return {"event_id": eid, "seq": seq, "ingested_at": ing,
            "account_id": rng.choice(["acc1", "acc2", "acc3"], size=n).tolist(),
            "amount": [NaN if rng.random() < 0.1 else float(x) for x in rng.integers(1, 1000, size=n) * 0.5]}


def versions_cases(rng):
    ev = lambda *x: rows(EV_COLS, *x)  # noqa: E731
    examples = [
        case("replayed-and-amended",
             ev(("e1", 1, T("03-01 10:00"), "a", 100.0), ("e2", 1, T("03-01 10:00:01"), "b", 5.0),
                ("e1", 2, T("03-01 10:05"), "a", 120.0), ("e1", 1, T("03-01 11:00"), "a", 100.0))),
        case("seq-tie-latest-ingestion",
             ev(("e1", 3, T("03-01 10:07"), "a", 1.0), ("e1", 3, T("03-01 10:09"), "a", 2.0),
                ("e1", 3, T("03-01 10:08"), "a", 3.0))),
        case("empty", []),
    ]
    tests = [
        case("empty-frame", []),
        case("single-row", ev(("only", 7, T("03-01 10:00"), "a", 1.5))),
        case("no-duplicates-order-kept",
             ev(("e3", 1, T("03-01 10:00"), "a", 1.0), ("e1", 1, T("03-01 09:00"), "b", 2.0), ("e2", 5, None, "c", 3.0))),
        case("higher-seq-beats-later-ingestion",
             ev(("e1", 2, T("03-01 09:00"), "a", 20.0), ("e1", 1, T("03-01 12:00"), "a", 10.0))),
        case("higher-seq-later-row",
             ev(("e1", 1, T("03-01 09:00"), "a", 10.0), ("e2", 1, T("03-01 09:00"), "b", 1.0),
                ("e1", 4, T("03-01 09:00"), "a", 40.0), ("e1", 3, T("03-01 09:30"), "a", 30.0))),
        case("nat-ingestion-loses-tie",
             ev(("e1", 2, T("03-01 09:00"), "a", 1.0), ("e1", 2, None, "a", 2.0))),
        case("nat-ingestion-loses-tie-reversed",
             ev(("e1", 2, None, "a", 2.0), ("e1", 2, T("03-01 09:00"), "a", 1.0))),
        case("all-nat-later-row-wins",
             ev(("e1", 2, None, "a", 1.0), ("e1", 2, None, "b", 2.0), ("e1", 1, None, "c", 3.0))),
        case("full-tie-later-row-wins",
             ev(("e1", 2, T("03-01 09:00"), "a", 1.0), ("e1", 2, T("03-01 09:00"), "b", 2.0),
                ("e0", 1, T("03-01 08:00"), "z", 0.0))),
        case("order-of-first-appearance",
             ev(("e2", 1, T("03-01 09:00"), "a", 1.0), ("e1", 1, T("03-01 09:01"), "a", 2.0),
                ("e3", 1, T("03-01 09:02"), "a", 3.0), ("e2", 9, T("03-01 09:03"), "a", 4.0),
                ("e1", 0, T("03-01 09:04"), "a", 5.0))),
        case("nan-amount-kept", ev(("e1", 1, T("03-01 09:00"), "a", 5.0), ("e1", 2, T("03-01 09:00"), "a", NaN))),
        case("large-and-negative-seq",
             ev(("e1", -5, T("03-01 09:00"), "a", 1.0), ("e1", -3, T("03-01 08:00"), "a", 2.0),
                ("e2", 1099511627776, T("03-01 09:00"), "b", 3.0), ("e2", 1099511627775, T("03-01 10:00"), "b", 4.0))),
        case("random-replay", _versions_random(rng, 60, 15)),
    ]
    return examples, tests, []


# ====================================================================== 8 outflow spikes

O_COLS = ("asset", "ts", "amount")


def _daily(asset: str, day_totals: list[tuple[str, float]]) -> list[dict]:
    return [{"asset": asset, "ts": T(f"{d} 12:00"), "amount": a} for d, a in day_totals]


def _spikes_random(rng, days: int) -> dict:
    out = {"asset": [], "ts": [], "amount": []}
    for asset, scale in (("BTC", 1000.0), ("ETH", 250.0), ("USDT", 5000.0)):
        start = int(rng.integers(0, 5))
        for d in range(start, days):
            if rng.random() < 0.15:
                continue  # a quiet day
            for _ in range(int(rng.integers(1, 4))):
                amt = float(np.round(rng.gamma(2.0, scale) * (8 if rng.random() < 0.04 else 1), 2))
                out["asset"].append(asset)
                out["ts"].append(iso(d * 86400 + int(rng.integers(0, 86400))))
                out["amount"].append(NaN if rng.random() < 0.03 else amt)
    return out


def spikes_cases(rng):
    examples = [
        case("one-spike", _daily("BTC", [("03-01", 10.0), ("03-02", 12.0), ("03-03", 11.0), ("03-04", 9.0),
                                         ("03-05", 40.0), ("03-06", 10.0)]), 3, 3, 3.0),
        case("quiet-days-are-zero", _daily("ETH", [("03-01", 10.0), ("03-02", 10.0), ("03-04", 10.0),
                                                   ("03-05", 10.0)]), 3, 2, 1.0),
        case("empty", [], 7, 3, 3.0),
    ]
    tests = [
        case("empty-frame", [], 3, 2, 2.0),
        case("single-withdrawal", _daily("BTC", [("03-01", 5.0)]), 3, 2, 2.0),
        case("min-history-boundary", _daily("BTC", [("03-01", 0.0), ("03-02", 2.0), ("03-03", 4.0), ("03-04", 30.0)]),
             5, 3, 2.0),
        case("lookback-excludes-older-days",
             _daily("BTC", [("03-01", 1000.0), ("03-02", 1.0), ("03-03", 3.0), ("03-04", 5.0)]), 2, 2, 1.0),
        case("z-equal-threshold-not-flagged",
             _daily("BTC", [("03-01", 0.0), ("03-02", 2.0), ("03-03", 4.0), ("03-04", 6.0)]), 3, 3, 2.0),
        case("constant-history-no-z",
             _daily("BTC", [("03-01", 5.0), ("03-02", 5.0), ("03-03", 5.0), ("03-04", 50.0), ("03-05", 5.0)]), 3, 2, 1.0),
        case("sample-std-two-days",
             _daily("BTC", [("03-01", 2.0), ("03-02", 4.0), ("03-03", 5.5), ("03-04", 6.0)]), 2, 2, 1.5),
        case("nan-only-day-is-zero",
             [{"asset": "SOL", "ts": T("03-01 01:00"), "amount": 6.0}, {"asset": "SOL", "ts": T("03-02 01:00"), "amount": NaN},
              {"asset": "SOL", "ts": T("03-03 01:00"), "amount": 4.0}, {"asset": "SOL", "ts": T("03-03 02:00"), "amount": NaN},
              {"asset": "SOL", "ts": T("03-04 01:00"), "amount": 9.0}], 3, 2, 0.5),
        case("day-boundaries-utc",
             [{"asset": "BTC", "ts": T("03-01 23:59:59"), "amount": 1.0}, {"asset": "BTC", "ts": T("03-02 00:00"), "amount": 2.0},
              {"asset": "BTC", "ts": T("03-02 23:59:59"), "amount": 4.0}, {"asset": "BTC", "ts": T("03-03 00:00"), "amount": 8.0},
              {"asset": "BTC", "ts": T("03-04 00:00"), "amount": 1.0}], 2, 2, 0.1),
        case("assets-keep-own-ranges",
             _daily("ETH", [("03-05", 3.0), ("03-06", 5.0), ("03-07", 30.0)])
             + _daily("BTC", [("03-01", 1.0), ("03-02", 3.0), ("03-03", 5.0), ("03-07", 2.0)]), 4, 2, 2.0),
        case("drop-is-not-a-spike",
             _daily("BTC", [("03-01", 10.0), ("03-02", 11.0), ("03-03", 9.0), ("03-04", 0.5)]), 3, 3, -100.0),
        case("unsorted-input",
             _daily("BTC", [("03-04", 30.0), ("03-02", 2.0), ("03-01", 0.0), ("03-03", 4.0)])
             + _daily("ADA", [("03-03", 7.0), ("03-01", 1.0)]), 5, 2, 2.0),
        case("large-totals",
             _daily("USDT", [("03-01", 1.0e9), ("03-02", 1.2e9), ("03-03", 0.9e9), ("03-04", 1.1e9), ("03-05", 5.0e9),
                             ("03-06", 1.0e9)]), 4, 3, 4.0),
        case("random-three-assets", _spikes_random(rng, 40), 7, 4, 2.5),
    ]
    return examples, tests, []


# ====================================================================== 9 alert quality

TX_COLS = ("txn_id", "ts")
AL_COLS = ("txn_id", "fired_at")
LA_COLS = ("txn_id", "confirmed_at")


def _alerts_random(rng, n: int, as_of: int) -> tuple[dict, dict, dict, str]:
    ids = [f"t{i:03d}" for i in range(n)]
    secs = rng.integers(0, 10 * 86400, size=n)
    txns = {"txn_id": ids, "ts": [iso(int(s)) for s in secs]}
    alerts = {"txn_id": [], "fired_at": []}
    labels = {"txn_id": [], "confirmed_at": []}
    for i, s in enumerate(secs):
        fraud = rng.random() < 0.25
        if rng.random() < (0.7 if fraud else 0.15):
            for _ in range(int(rng.integers(1, 3))):
                alerts["txn_id"].append(ids[i])
                alerts["fired_at"].append(iso(int(s) + int(rng.integers(0, 600))))
        if fraud:
            labels["txn_id"].append(ids[i])
            labels["confirmed_at"].append(None if rng.random() < 0.1 else iso(int(s) + int(rng.integers(0, 8 * 86400))))
    alerts["txn_id"].append("t999")
    alerts["fired_at"].append(iso(3600))
    return txns, alerts, labels, iso(as_of)


def alert_cases(rng):
    tx = lambda *x: rows(TX_COLS, *x)  # noqa: E731
    al = lambda *x: rows(AL_COLS, *x)  # noqa: E731
    la = lambda *x: rows(LA_COLS, *x)  # noqa: E731
    two_days = tx(("t1", T("03-01 10:00")), ("t2", T("03-01 11:00")), ("t3", T("03-01 12:00")),
                  ("t4", T("03-02 09:00")), ("t5", T("03-02 10:00")))
    examples = [
        case("two-days", two_days, al(("t1", T("03-01 10:00:01")), ("t3", T("03-01 12:00:01")), ("t4", T("03-02 09:00:01"))),
             la(("t1", T("03-05 00:00")), ("t2", T("03-06 00:00")), ("t5", T("03-04 00:00"))), T("03-10 06:00")),
        case("label-not-yet-known", two_days, al(("t1", T("03-01 10:00:01"))), la(("t1", T("03-10 06:00:01"))),
             T("03-10 06:00")),
        case("empty", [], [], [], T("03-10 06:00")),
    ]
    tests = [
        case("empty-txns-with-alerts", [], al(("t1", T("03-01 10:00"))), la(("t1", T("03-02 10:00"))), T("03-10 06:00")),
        case("no-alerts-nan-precision", two_days, [], la(("t2", T("03-02 00:00"))), T("03-10 06:00")),
        case("no-fraud-nan-recall", two_days, al(("t2", T("03-01 11:00"))), [], T("03-10 06:00")),
        case("duplicate-alerts-count-once", two_days,
             al(("t1", T("03-01 10:00")), ("t1", T("03-01 10:01")), ("t1", T("03-01 10:02"))),
             la(("t1", T("03-02 00:00"))), T("03-10 06:00")),
        case("unknown-alert-ignored", two_days, al(("zz", T("03-01 10:00")), ("t4", T("03-02 09:00"))),
             la(("zz", T("03-01 12:00"))), T("03-10 06:00")),
        case("alert-exactly-at-as-of", two_days, al(("t1", T("03-10 06:00")), ("t2", T("03-10 06:00:01"))),
             la(("t1", T("03-05 00:00")), ("t2", T("03-05 00:00"))), T("03-10 06:00")),
        case("confirmation-exactly-at-as-of", two_days, al(("t1", T("03-01 10:00")), ("t2", T("03-01 11:00"))),
             la(("t1", T("03-10 06:00")), ("t2", T("03-10 06:00:01"))), T("03-10 06:00")),
        case("open-investigation-not-fraud", two_days, al(("t1", T("03-01 10:00"))),
             la(("t1", None), ("t4", T("03-03 00:00"))), T("03-10 06:00")),
        case("midnight-splits-days",
             tx(("a", T("03-01 23:59:59")), ("b", T("03-02 00:00")), ("c", T("03-02 23:59:59"))),
             al(("a", T("03-02 00:00:05")), ("b", T("03-02 00:00:05"))), la(("b", T("03-03 00:00")), ("c", T("03-03 00:00"))),
             T("03-10 06:00")),
        case("unsorted-days-sorted",
             tx(("x", T("03-05 10:00")), ("y", T("03-01 10:00")), ("z", T("03-03 10:00"))),
             al(("x", T("03-05 10:00")), ("y", T("03-01 10:00"))), la(("y", T("03-02 00:00"))), T("03-10 06:00")),
        case("all-caught", tx(("a", T("03-01 01:00")), ("b", T("03-01 02:00"))),
             al(("a", T("03-01 01:00")), ("b", T("03-01 02:00"))), la(("a", T("03-01 05:00")), ("b", T("03-01 06:00"))),
             T("03-01 06:00")),
        case("single-transaction", tx(("a", T("03-01 01:00"))), [], [], T("03-01 06:00")),
        case("same-second-transactions",
             tx(("a", T("03-01 01:00")), ("b", T("03-01 01:00")), ("c", T("03-01 01:00")), ("d", T("03-02 01:00"))),
             al(("a", T("03-01 01:00")), ("b", T("03-01 01:00"))), la(("b", T("03-01 02:00")), ("c", T("03-01 02:00"))),
             T("03-05 00:00")),
        case("random-ten-days", *_alerts_random(rng, 80, 9 * 86400)),
    ]
    return examples, tests, []


# ====================================================================== 10 shared devices

G_COLS = ("account_id", "device_id", "ts")


def _devices_random(rng, n: int, accounts: int, devices: int, span_s: int) -> dict:
    acc = [f"a{int(i):03d}" for i in rng.integers(0, accounts, size=n)]
    # Accounts mostly use a "home" device, sometimes a shared one.
    dev = []
    for a in acc:
        home = int(a[1:]) % devices
        if rng.random() < 0.05:
            dev.append(None)
        elif rng.random() < 0.6:
            dev.append(f"d{home:03d}")
        else:
            dev.append(f"d{int(rng.integers(0, max(2, devices // 5))):03d}")
    secs = (rng.integers(0, span_s // 60, size=n) * 60).tolist()
    for i in range(1, n):
        if rng.random() < 0.05:
            secs[i] = secs[int(rng.integers(0, i))]
    return {"account_id": acc, "device_id": dev, "ts": [iso(s) for s in secs]}


def devices_cases(rng):
    g = lambda *x: rows(G_COLS, *x)  # noqa: E731
    examples = [
        case("shared-phone", g(("a1", "ph1", T("03-01 10:00")), ("a2", "ph1", T("03-01 10:20")),
                               ("a3", "ph1", T("03-01 10:40")), ("a1", "lap1", T("03-01 10:50"))), 1),
        case("exactly-window-ago-expired", g(("a1", "ph1", T("03-01 10:00")), ("a2", "ph1", T("03-01 12:00")),
                                             ("a2", "ph1", T("03-01 11:59:59"))), 2),
        case("empty", [], 1),
    ]
    tests = [
        case("empty-frame", [], 24),
        case("single-login", g(("a1", "d1", T("03-01 10:00"))), 24),
        case("same-second-invisible", g(("a1", "d1", T("03-01 10:00")), ("a2", "d1", T("03-01 10:00")),
                                        ("a1", "d2", T("03-01 10:00"))), 24),
        case("own-account-not-other", g(("a1", "d1", T("03-01 10:00")), ("a1", "d1", T("03-01 10:05")),
                                        ("a1", "d1", T("03-01 10:10"))), 1),
        case("distinct-accounts-counted-once",
             g(("a2", "d1", T("03-01 10:00")), ("a2", "d1", T("03-01 10:01")), ("a3", "d1", T("03-01 10:02")),
               ("a1", "d1", T("03-01 10:03"))), 1),
        case("missing-devices",
             [{"account_id": "a1", "device_id": None, "ts": T("03-01 10:00")},
              {"account_id": "a2", "device_id": None, "ts": T("03-01 10:01")},
              {"account_id": "a1", "device_id": "d1", "ts": T("03-01 10:02")},
              {"account_id": "a2", "device_id": "d1", "ts": T("03-01 10:03")},
              {"account_id": "a1", "device_id": None, "ts": T("03-01 10:04")}], 1),
        case("one-second-inside-window", g(("a1", "d1", T("03-01 10:00:01")), ("a2", "d1", T("03-01 11:00")),
                                           ("a2", "d2", T("03-01 11:00:01"))), 1),
        case("devices-of-account",
             g(("a1", "d1", T("03-01 10:00")), ("a1", "d2", T("03-01 10:10")), ("a1", "d2", T("03-01 10:20")),
               ("a1", "d3", T("03-01 10:30")), ("a1", "d1", T("03-01 11:05"))), 1),
        case("unsorted-input-order-kept",
             g(("a3", "d1", T("03-01 12:00")), ("a1", "d1", T("03-01 10:00")), ("a2", "d1", T("03-01 11:00")),
               ("a1", "d2", T("03-01 11:30"))), 3),
        case("devices-and-accounts-are-separate-namespaces",
             g(("x", "x", T("03-01 10:00")), ("y", "x", T("03-01 10:10")), ("x", "y", T("03-01 10:20"))), 1),
        case("long-window", g(("a1", "d1", T("02-01 00:00")), ("a2", "d1", T("03-01 00:00")), ("a3", "d1", T("03-02 00:00"))),
             24 * 30),
        case("random-small", _devices_random(rng, 60, 12, 8, 6 * 3600), 2),
        case("random-ring", _devices_random(rng, 120, 30, 6, 24 * 3600), 6),
    ]
    large = [case("large-many-devices", _devices_random(rng, 13_000, 1000, 600, 30 * 86400), 24)]
    return examples, tests, large


# ====================================================================== 11 parity

P_COLS = ("request_id", "feature", "value")


def _parity_random(rng, n_req: int) -> tuple[dict, dict]:
    feats = ["amt_sum_24h", "n_logins_1h", "ip_risk", "kyc_tier"]
    skew = {"amt_sum_24h": 0.2, "n_logins_1h": 0.0, "ip_risk": 0.05, "kyc_tier": 0.4}
    on = {"request_id": [], "feature": [], "value": []}
    off = {"request_id": [], "feature": [], "value": []}
    for i in range(n_req):
        for f in feats:
            rid = f"q{i:03d}"
            b = NaN if rng.random() < 0.05 else float(np.round(rng.random() * 100, 3))
            a = b
            if rng.random() < skew[f]:
                a = NaN if rng.random() < 0.2 else b + float(rng.choice([-1.0, 1.0])) * float(rng.choice([1e-9, 0.5, 3.0]))
            r = rng.random()
            if r < 0.05:
                on["request_id"].append(rid), on["feature"].append(f), on["value"].append(a)
            elif r < 0.1:
                off["request_id"].append(rid), off["feature"].append(f), off["value"].append(b)
            else:
                on["request_id"].append(rid), on["feature"].append(f), on["value"].append(a)
                off["request_id"].append(rid), off["feature"].append(f), off["value"].append(b)
    return on, off


def parity_cases(rng):
    p = lambda *x: rows(P_COLS, *x)  # noqa: E731
    examples = [
        case("one-skewed-feature",
             p(("r1", "amt_sum_24h", 100.0), ("r1", "n_logins_1h", 3.0), ("r2", "amt_sum_24h", 50.0), ("r2", "n_logins_1h", 1.0)),
             p(("r1", "amt_sum_24h", 100.0), ("r1", "n_logins_1h", 3.0), ("r2", "amt_sum_24h", 75.0), ("r2", "n_logins_1h", 1.0)),
             1e-6, 0.0),
        case("missing-values",
             p(("r1", "ip_risk", NaN), ("r2", "ip_risk", NaN), ("r3", "ip_risk", 0.5)),
             p(("r1", "ip_risk", NaN), ("r2", "ip_risk", 0.2), ("r3", "ip_risk", NaN)), 0.0, 1e-9),
        case("empty", [], [], 1e-6, 1e-9),
    ]
    tests = [
        case("empty-frames", [], [], 0.0, 0.0),
        case("only-online", p(("r1", "f", 1.0), ("r2", "f", 2.0)), [], 0.0, 0.0),
        case("only-offline", [], p(("r1", "g", 1.0)), 0.0, 0.0),
        case("abs-tol-boundary-inclusive", p(("r1", "f", 1.5), ("r2", "f", 1.75)), p(("r1", "f", 1.0), ("r2", "f", 1.0)), 0.0, 0.5),
        case("rel-tol-uses-offline-magnitude", p(("r1", "f", 10.0), ("r2", "f", 20.0)), p(("r1", "f", 20.0), ("r2", "f", 10.0)),
             0.5, 0.0),
        case("both-tolerances-add", p(("r1", "f", 13.0), ("r2", "f", 13.25)), p(("r1", "f", 10.0), ("r2", "f", 10.0)), 0.25, 0.5),
        case("nan-one-side-either-way",
             p(("r1", "f", NaN), ("r2", "f", 1.0), ("r3", "f", NaN)), p(("r1", "f", 1.0), ("r2", "f", NaN), ("r3", "f", NaN)),
             1.0, 1.0),
        case("negative-values", p(("r1", "f", -10.0), ("r2", "f", -10.0)), p(("r1", "f", -12.0), ("r2", "f", 10.0)), 0.25, 0.0),
        case("sorted-by-mismatches-then-name",
             p(("r1", "b", 1.0), ("r1", "a", 1.0), ("r1", "c", 1.0), ("r2", "c", 1.0), ("r1", "d", 1.0)),
             p(("r1", "b", 2.0), ("r1", "a", 2.0), ("r1", "c", 2.0), ("r2", "c", 2.0), ("r1", "d", 1.0)), 0.0, 0.0),
        case("same-request-different-features",
             p(("r1", "f", 1.0), ("r1", "g", 5.0)), p(("r1", "g", 1.0), ("r1", "h", 5.0)), 0.0, 0.0),
        case("large-values-relative",
             p(("r1", "f", 1.0e12 + 1.0), ("r2", "f", 1.0e12 + 4096.0)), p(("r1", "f", 1.0e12), ("r2", "f", 1.0e12)), 1e-9, 0.0),
        case("exact-zero-tolerance", p(("r1", "f", 0.1), ("r2", "f", 0.3)), p(("r1", "f", 0.1), ("r2", "f", 0.30000000000000004)),
             0.0, 0.0),
        case("random-parity", *_parity_random(rng, 40), 1e-6, 1e-6),
    ]
    return examples, tests, []


# ====================================================================== driver

BUILDERS = {
    "withdrawal-velocity": velocity_cases,
    "asof-feature-snapshots": asof_cases,
    "product-label-maturity": maturity_cases,
    "inactivity-sessions": sessions_cases,
    "weekly-signup-retention": retention_cases,
    "leaky-feature-audit": leak_cases,
    "latest-event-versions": versions_cases,
    "asset-outflow-spikes": spikes_cases,
    "daily-alert-quality": alert_cases,
    "shared-device-velocity": devices_cases,
    "online-offline-parity": parity_cases,
}

# The dtypes each prompt promises for its result columns (checked on every answer we run).
OUT_DTYPES = {
    "withdrawal-velocity": {"account_id": "str", "ts": "datetime64[ns]", "n_1h": "int64", "n_24h": "int64",
                                     "sum_24h": "float64", "secs_since_prev": "float64"},
    "asof-feature-snapshots": {"label_id": "str", "account_id": "str", "decision_ts": "datetime64[ns]", "is_fraud": "int64",
                               "snapshot_at": "datetime64[ns]", "risk_score": "float64", "n_devices_30d": "float64"},
    "product-label-maturity": {"product": "str", "maturity_days": "int64", "n_txns": "int64", "n_mature": "int64",
                                  "n_fraud": "int64", "fraud_rate": "float64"},
    "inactivity-sessions": {"user_id": "str", "session": "int64", "start": "datetime64[ns]", "end": "datetime64[ns]",
                            "n_events": "int64", "n_withdrawals": "int64", "duration_s": "float64"},
    "weekly-signup-retention": {"cohort_week": "datetime64[ns]", "users": "int64", **{f"w{k}": "float64" for k in range(10)}},
    "leaky-feature-audit": {"feature": "str", "n_checked": "int64", "n_leaky": "int64", "leaky_share": "float64",
                            "max_lead_s": "float64"},
    "latest-event-versions": {"event_id": "str", "seq": "int64", "ingested_at": "datetime64[ns]", "account_id": "str",
                              "amount": "float64", "n_versions": "int64"},
    "asset-outflow-spikes": {"asset": "str", "day": "datetime64[ns]", "total": "float64", "n_hist": "int64",
                             "z": "float64", "flag": "bool"},
    "daily-alert-quality": {"day": "datetime64[ns]", "n_txns": "int64", "n_alerted": "int64", "n_fraud": "int64",
                                 "n_caught": "int64", "precision": "float64", "recall": "float64"},
    "shared-device-velocity": {"account_id": "str", "ts": "datetime64[ns]", "other_accounts": "int64", "devices": "int64"},
    "online-offline-parity": {"feature": "str", "n_both": "int64", "n_mismatch": "int64", "mismatch_rate": "float64",
                              "only_online": "int64", "only_offline": "int64"},
}


def expected_of(plain) -> object:
    frame = plain["dataframe"]
    return {"columns": frame["columns"], "data": frame["data"]}


def fill(question: dict, cases: list[dict], reference, independent) -> list[dict]:
    qid = question["id"]
    out = []
    for c in cases:
        args, kwargs = build_call(question, c, "object")
        plain = to_plain(reference(*args, **kwargs))
        problem = check_dtypes(question, plain, OUT_DTYPES[qid])
        if problem:
            raise SystemExit(f"{qid}/{c['name']}: reference {problem}")
        filled = {"name": c["name"], "args": c["args"], "expected": expected_of(plain)}
        # The same answer with pandas' own str dtype, and the independent answer, must agree.
        args2, kwargs2 = build_call(question, c, "str")
        for label, fn, a, k in (("reference (str dtype)", reference, args2, kwargs2),
                                ("independent", independent, args, kwargs),
                                ("independent (str dtype)", independent, args2, kwargs2)):
            if fn is None:
                continue
            got = to_plain(fn(*a, **k))
            problem = compare(question, filled["expected"], got) or check_dtypes(question, got, OUT_DTYPES[qid])
            if problem:
                raise SystemExit(f"{qid}/{c['name']}: {label} disagrees: {problem}")
        out.append(filled)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the pack or a tests file would change")
    ap.add_argument("--only", help="one question id")
    opts = ap.parse_args()

    text = PACK.read_text(encoding="utf-8")
    pack = yaml.safe_load(text)
    changed = []
    for q in pack["questions"]:
        qid = q["id"]
        if opts.only and qid != opts.only:
            continue
        t0 = time.perf_counter()
        rng = np.random.default_rng(sum(map(ord, qid)))  # one fixed stream per question
        examples, tests, large = BUILDERS[qid](rng)
        reference = load_function(ROOT / "solutions" / "coding" / f"{qid}.py", q["function"])
        ind_path = INDEPENDENT / f"{qid}.py"
        independent = load_function(ind_path, q["function"]) if ind_path.exists() else None
        ex = fill(q, examples, reference, independent)
        te = fill(q, tests, reference, independent)
        lines_ex = render_cases("examples", ex)
        lines_te = render_cases("tests", te)
        check_roundtrip(lines_ex, ex)
        check_roundtrip(lines_te, te)
        text = splice(text, qid, lines_ex + lines_te)
        if large:
            if q.get("tests_file") != f"coding-pandas/{qid}.json":
                raise SystemExit(f"{qid}: large cases but tests_file is {q.get('tests_file')}")
            big = fill(q, large, reference, independent)
            body = json.dumps(big, separators=(",", ":")) + "\n"
            path = PACK.parent / q["tests_file"]
            if not path.exists() or path.read_text(encoding="utf-8") != body:
                changed.append(str(path.relative_to(ROOT)))
                if not opts.check:
                    path.write_text(body, encoding="utf-8")
        elif q.get("tests_file"):
            raise SystemExit(f"{qid}: tests_file without large cases")
        print(f"{qid}: {len(ex)} examples, {len(te)} tests, {len(large)} large"
              f"{'' if independent else ' (no independent answer)'}  [{time.perf_counter() - t0:.1f}s]")
    if text != PACK.read_text(encoding="utf-8"):
        changed.append(str(PACK.relative_to(ROOT)))
        if not opts.check:
            PACK.write_text(text, encoding="utf-8")
    if opts.check and changed:
        print("would change: " + ", ".join(changed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
