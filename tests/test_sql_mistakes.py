"""Each hidden SQL dataset added for issue 16 is built to catch one named mistake.

MISTAKES pairs every such dataset (its name says the mistake) with a plausible wrong query
that makes it, and runs the real SQL judge: the wrong query must fail that dataset with a
wrong answer, while the reference passes every dataset. For each question added in issue
16, an independent correct answer written another way (tests/fixtures/independent/sql)
must pass every dataset too, so the datasets ask for what the prompt says and no more.

Many wrong queries are the reference with one slip (`slip`): the slip is then the only
difference, and an edit of the reference that removes the slipped text fails loudly here
instead of quietly testing the reference against itself.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from drill.sql.judge import judge_sql
from tests.packkit import builtin_catalog, builtin_pack

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions" / "sql"
INDEPENDENT = ROOT / "tests" / "fixtures" / "independent" / "sql"

# The datasets the 12 original questions shipped with (named for the edge case, before
# issue 16 asked for one named mistake per dataset); tests/test_sql_pack.py holds the
# wrong answers they catch.
ORIGINAL = {
    "failed-logins-then-withdrawal": {
        "empty", "no-withdrawals", "exact-boundaries", "logins-after-withdrawal-do-not-count",
        "successes-and-other-accounts-ignored", "duplicate-timestamps-and-shared-logins",
        "single-withdrawal-many-failures"},
    "rolling-7d-volume": {
        "empty", "single-transfer", "exactly-seven-days", "same-second-ties", "ids-out-of-time-order",
        "month-boundary-and-fractions"},
    "first-last-per-counterparty": {
        "empty", "single-transfer", "tied-first-and-last", "null-counterparty-ignored", "reverse-ids",
        "all-same-time"},
    "dedupe-replayed-events": {
        "empty", "single-event", "equal-amounts-are-different-events", "null-amounts",
        "many-copies-same-second", "mixed-accounts"},
    "login-streaks": {
        "empty", "single-login", "many-logins-per-day", "tie-takes-earliest", "across-month-and-leap-day",
        "later-run-is-longer"},
    "top-counterparties-with-ties": {
        "empty", "single-counterparty", "tie-in-second-tier", "three-way-tie-on-top",
        "totals-tie-after-summing", "several-accounts-ordering"},
    "cohort-retention": {
        "empty", "users-but-no-trades", "year-boundary", "trades-before-signup-ignored",
        "quarters-with-a-silent-user", "two-cohorts-same-calendar-month"},
    "p90-transfer-by-asset": {
        "empty", "eleven-values-unsorted-ids", "nulls-ignored", "duplicate-amounts", "twenty-values",
        "single-value-and-small-n"},
    "device-change-before-large-send": {
        "empty", "first-session-is-not-a-change", "window-boundaries", "latest-change-wins",
        "change-after-send-ignored", "switch-back-and-sessions-out-of-order"},
    "unverified-depositors": {
        "empty", "null-account-in-kyc", "rejected-then-approved", "kyc-without-deposits",
        "single-deposit", "status-is-exact"},
    "daily-net-flow": {
        "empty", "only-withdrawals", "fan-out-trap", "midnight-split", "single-deposit",
        "negative-net-and-fractions"},
    "first-negative-balance": {
        "empty", "single-debit", "same-second-entries", "ids-out-of-time-order", "zero-is-not-negative",
        "several-accounts"},
}

# The questions issue 16 added; each has an independent answer.
NEW = ("point-in-time-features", "mature-chargeback-labels", "daily-alert-precision-recall",
       "withdrawal-control-totals", "current-profile-from-cdc", "kyc-funnel-by-signup-week")

# Every question keeps one all-empty dataset (tests/test_sql_pack.py asks for it). Where no
# plausible query returns rows from empty tables it is a baseline named `empty`, not a mistake.
BASELINE = "empty"


QUESTIONS = {q.id: q for q in builtin_pack("sql").questions}


def loaded(qid: str):
    return builtin_catalog().load(f"sql/{qid}")


@cache
def reference(qid: str) -> str:
    return (SOLUTIONS / f"{qid}.sql").read_text(encoding="utf-8")


def slip(qid: str, old: str, new: str) -> str:
    """The reference of `qid` with one slip: `old` (found exactly once) written as `new`."""
    text = reference(qid)
    assert text.count(old) == 1, f"{qid}: {old!r} is not in the reference exactly once"
    return text.replace(old, new)


def slips(qid: str, *pairs: tuple[str, str]) -> str:
    text = reference(qid)
    for old, new in pairs:
        assert text.count(old) == 1, f"{qid}: {old!r} is not in the reference exactly once"
        text = text.replace(old, new)
    return text


# ------------------------------------------------------------------ the 12 original questions

FAILED_LOGINS = """
SELECT w.id, w.account_id, COUNT(*) FROM withdrawals AS w JOIN logins AS l
  ON l.account_id = w.account_id AND {cond}
GROUP BY {group} HAVING COUNT(*) >= 3"""
IN_THE_HOUR = "l.at >= datetime(w.at, '-1 hour') AND l.at <= w.at"


def failed_logins(cond: str, group: str = "w.id, w.account_id") -> str:
    return FAILED_LOGINS.format(cond=cond, group=group)


ISLANDS = """
WITH g AS ({numbered}),
     r AS (SELECT account_id, MIN(day) AS s, COUNT(*) AS n FROM g GROUP BY account_id, k),
     b AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY n DESC, s) AS p FROM r)
SELECT account_id, n, s FROM b WHERE p = 1"""

RUNNING = """SELECT account_id, entry_id, at, SUM(amount) OVER ({window}
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS b FROM ledger"""

ORIGINAL_MISTAKES = [
    ("failed-logins-then-withdrawal", "null-success-counted-as-a-failure",
     failed_logins(f"l.success IS NOT 1 AND {IN_THE_HOUR}")),
    ("failed-logins-then-withdrawal", "same-day-filter-cuts-a-window-across-midnight",
     # a daily-partition filter added "for speed"
     failed_logins(f"l.success = 0 AND date(l.at) = date(w.at) AND {IN_THE_HOUR}")),
    ("failed-logins-then-withdrawal", "window-of-one-day-not-one-hour",
     failed_logins("l.success = 0 AND julianday(w.at) - julianday(l.at) BETWEEN 0 AND 1")),
    ("failed-logins-then-withdrawal", "grouped-by-time-merges-two-withdrawals",
     failed_logins(f"l.success = 0 AND {IN_THE_HOUR}", group="w.account_id, w.at")
     .replace("SELECT w.id,", "SELECT MIN(w.id),")),
    ("failed-logins-then-withdrawal", "success-between-failures-resets-the-count",
     failed_logins(f"""l.success = 0 AND {IN_THE_HOUR}
       AND l.at > COALESCE((SELECT MAX(s.at) FROM logins AS s WHERE s.account_id = w.account_id
                             AND s.success = 1 AND s.at <= w.at), '')""")),

    ("rolling-7d-volume", "calendar-days-drop-a-transfer-inside-the-window",
     slip("rolling-7d-volume", "u.at > datetime(t.at, '-7 days')", "date(u.at) > date(t.at, '-7 days')")),
    ("rolling-7d-volume", "six-day-range-frame-drops-day-seven",
     """SELECT id, account_id, SUM(amount) OVER (PARTITION BY account_id ORDER BY julianday(at)
          RANGE BETWEEN 6 PRECEDING AND CURRENT ROW) FROM transfers"""),
    ("rolling-7d-volume", "daily-pre-aggregation-adds-later-transfers-of-the-day",
     """WITH d AS (SELECT account_id, date(at) AS day, SUM(amount) AS s FROM transfers GROUP BY account_id, day)
        SELECT t.id, t.account_id, (SELECT SUM(d.s) FROM d WHERE d.account_id = t.account_id
          AND d.day > date(t.at, '-7 days') AND d.day <= date(t.at)) FROM transfers AS t"""),
    ("rolling-7d-volume", "unpartitioned-frame-mixes-accounts",
     # right frame in whole seconds, (at - 604800 s, at], but no PARTITION BY
     """SELECT id, account_id, SUM(amount) OVER (ORDER BY unixepoch(at)
          RANGE BETWEEN 604799 PRECEDING AND CURRENT ROW) FROM transfers"""),

    ("first-last-per-counterparty", "pending-null-time-sorts-first",
     slip("first-last-per-counterparty", "    AND at IS NOT NULL", "")),
    ("first-last-per-counterparty", "last-value-default-frame-stops-at-the-current-row",
     """SELECT DISTINCT counterparty, FIRST_VALUE(id) OVER w, LAST_VALUE(id) OVER w,
               COUNT(*) OVER (PARTITION BY counterparty)
        FROM transfers WHERE counterparty IS NOT NULL AND at IS NOT NULL
        WINDOW w AS (PARTITION BY counterparty ORDER BY at, id)"""),
    ("first-last-per-counterparty", "ordered-by-day-loses-the-time-of-day",
     slips("first-last-per-counterparty", ("ORDER BY at, id", "ORDER BY date(at), id"),
           ("ORDER BY at DESC, id DESC", "ORDER BY date(at) DESC, id DESC"))),
    ("first-last-per-counterparty", "distinct-senders-counted-instead-of-transfers",
     slips("first-last-per-counterparty", ("         id,\n", "         id, account_id,\n"),
           ("COUNT(*) AS transfers", "COUNT(DISTINCT account_id) AS transfers"))),

    ("dedupe-replayed-events", "lag-misses-copies-that-are-not-adjacent",
     # streaming habit: drop a row that repeats the one just before it
     """WITH l AS (SELECT event_id, account_id, amount,
                         LAG(event_id) OVER (ORDER BY received_at) AS prev FROM events)
        SELECT account_id, COUNT(*), TOTAL(amount) FROM l
        WHERE prev IS NULL OR prev <> event_id GROUP BY account_id"""),
    ("dedupe-replayed-events", "replayed-event-dropped-entirely",
     """SELECT account_id, COUNT(*), COALESCE(SUM(amount), 0) FROM events
        WHERE event_id IN (SELECT event_id FROM events GROUP BY event_id HAVING COUNT(*) = 1)
        GROUP BY account_id"""),
    ("dedupe-replayed-events", "distinct-star-keeps-copies-by-receipt-time",
     """SELECT account_id, COUNT(*), COALESCE(SUM(amount), 0)
        FROM (SELECT DISTINCT * FROM events) GROUP BY account_id"""),
    ("dedupe-replayed-events", "copies-tied-at-first-receipt-joined-back-twice",
     """WITH f AS (SELECT event_id, MIN(received_at) AS r FROM events GROUP BY event_id)
        SELECT e.account_id, COUNT(*), COALESCE(SUM(e.amount), 0)
        FROM events AS e JOIN f ON f.event_id = e.event_id AND f.r = e.received_at
        GROUP BY e.account_id"""),

    ("login-streaks", "julian-day-number-changes-at-noon",
     # the Julian day number turns over at noon UTC, not at midnight
     """WITH d AS (SELECT account_id, CAST(julianday(at) AS INTEGER) AS dn, MIN(date(at)) AS day
                   FROM logins GROUP BY account_id, dn),
             g AS (SELECT account_id, day,
                          dn - ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY dn) AS k FROM d),
             r AS (SELECT account_id, MIN(day) AS s, COUNT(*) AS n FROM g GROUP BY account_id, k),
             b AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY n DESC, s) AS p FROM r)
        SELECT account_id, n, s FROM b WHERE p = 1"""),
    ("login-streaks", "consecutive-pairs-summed-across-runs",
     """WITH d AS (SELECT DISTINCT account_id, date(at) AS day FROM logins),
             l AS (SELECT account_id, day, LAG(day) OVER (PARTITION BY account_id ORDER BY day) AS prev FROM d)
        SELECT account_id, 1 + SUM(julianday(day) - julianday(prev) = 1), MIN(day)
        FROM l GROUP BY account_id"""),
    ("login-streaks", "row-number-not-partitioned-by-account",
     slip("login-streaks", "ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY day)",
          "ROW_NUMBER() OVER (ORDER BY day)")),
    ("login-streaks", "count-star-counts-logins-not-days",
     ISLANDS.format(numbered="""SELECT account_id, date(at) AS day, julianday(date(at))
         - DENSE_RANK() OVER (PARTITION BY account_id ORDER BY date(at)) AS k FROM logins""")),
    ("login-streaks", "date-text-minus-a-number-is-year-arithmetic",
     ISLANDS.format(numbered="""SELECT account_id, day,
         day - ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY day) AS k
         FROM (SELECT DISTINCT account_id, date(at) AS day FROM logins)""")),

    ("top-counterparties-with-ties", "totals-summed-across-accounts",
     """WITH t AS (SELECT DISTINCT account_id, counterparty,
                          SUM(amount) OVER (PARTITION BY counterparty) AS total FROM transfers),
             r AS (SELECT *, DENSE_RANK() OVER (PARTITION BY account_id ORDER BY total DESC) AS tier FROM t)
        SELECT account_id, counterparty, total, tier FROM r WHERE tier <= 2
        ORDER BY account_id, tier, counterparty"""),
    ("top-counterparties-with-ties", "ordered-by-counterparty-ignoring-the-tier",
     slip("top-counterparties-with-ties", "ORDER BY account_id, tier, counterparty",
          "ORDER BY account_id, counterparty")),
    ("top-counterparties-with-ties", "largest-single-transfer-ranked-instead-of-total",
     """WITH t AS (SELECT account_id, counterparty, SUM(amount) AS total, MAX(amount) AS top
                   FROM transfers GROUP BY account_id, counterparty),
             r AS (SELECT *, DENSE_RANK() OVER (PARTITION BY account_id ORDER BY top DESC) AS tier FROM t)
        SELECT account_id, counterparty, total, tier FROM r WHERE tier <= 2
        ORDER BY account_id, tier, counterparty"""),
    ("top-counterparties-with-ties", "tiers-ranked-before-summing",
     """WITH r AS (SELECT account_id, counterparty, amount,
                         DENSE_RANK() OVER (PARTITION BY account_id ORDER BY amount DESC) AS tier
                  FROM transfers)
        SELECT account_id, counterparty, SUM(amount), MIN(tier) FROM r WHERE tier <= 2
        GROUP BY account_id, counterparty ORDER BY account_id, MIN(tier), counterparty"""),

    ("cohort-retention", "month-offset-beyond-a-year-wraps",
     """WITH c AS (SELECT user_id, signup_at, strftime('%Y-%m', signup_at) AS cohort FROM users),
             s AS (SELECT cohort, COUNT(*) AS n FROM c GROUP BY cohort),
             a AS (SELECT DISTINCT c.cohort, c.user_id,
                     (CAST(strftime('%m', t.at) AS INT) - CAST(strftime('%m', c.signup_at) AS INT) + 12) % 12 AS k
                   FROM c JOIN trades AS t ON t.user_id = c.user_id
                   WHERE t.at >= date(c.signup_at, 'start of month'))
        SELECT a.cohort, a.k, COUNT(*), COUNT(*) * 1.0 / s.n FROM a JOIN s ON s.cohort = a.cohort
        GROUP BY a.cohort, a.k"""),
    ("cohort-retention", "left-join-turned-inner-by-where-shrinks-the-cohort",
     """WITH base AS (
          SELECT u.user_id, strftime('%Y-%m', u.signup_at) AS cohort,
                 CAST(strftime('%Y', t.at) AS INT) * 12 + CAST(strftime('%m', t.at) AS INT)
                 - CAST(strftime('%Y', u.signup_at) AS INT) * 12 - CAST(strftime('%m', u.signup_at) AS INT) AS k
          FROM users AS u LEFT JOIN trades AS t ON t.user_id = u.user_id
          WHERE k >= 0),
        s AS (SELECT cohort, COUNT(DISTINCT user_id) AS n FROM base GROUP BY cohort)
        SELECT b.cohort, b.k, COUNT(DISTINCT b.user_id), COUNT(DISTINCT b.user_id) * 1.0 / s.n
        FROM base AS b JOIN s ON s.cohort = b.cohort GROUP BY b.cohort, b.k"""),
    ("cohort-retention", "several-trades-in-a-month-counted-per-trade",
     slip("cohort-retention", "SELECT DISTINCT c.cohort,", "SELECT c.cohort,")),
    ("cohort-retention", "integer-division",
     slip("cohort-retention", "COUNT(*) * 1.0 / s.size", "COUNT(*) / s.size")),

    ("p90-transfer-by-asset", "rounding-instead-of-ceiling",
     """WITH r AS (SELECT asset, amount, ROW_NUMBER() OVER (PARTITION BY asset ORDER BY amount) AS p,
                         COUNT(*) OVER (PARTITION BY asset) AS n FROM transfers WHERE amount IS NOT NULL)
        SELECT asset, n, amount FROM r WHERE p = MAX(1, CAST(ROUND(0.9 * n) AS INT))"""),
    ("p90-transfer-by-asset", "rank-with-ties-at-the-percentile",
     slip("p90-transfer-by-asset", "ROW_NUMBER() OVER", "RANK() OVER")),
    ("p90-transfer-by-asset", "zero-amounts-dropped-as-missing",
     slip("p90-transfer-by-asset", "WHERE amount IS NOT NULL", "WHERE amount > 0")),
    ("p90-transfer-by-asset", "interpolated-instead-of-nearest-rank",
     # linear interpolation, numpy's default percentile
     """WITH r AS (SELECT asset, amount, ROW_NUMBER() OVER (PARTITION BY asset ORDER BY amount) - 1 AS i,
                         COUNT(*) OVER (PARTITION BY asset) AS n FROM transfers WHERE amount IS NOT NULL),
             h AS (SELECT DISTINCT asset, n, 0.9 * (n - 1) AS h FROM r)
        SELECT h.asset, h.n, lo.amount + (h.h - CAST(h.h AS INT)) * (COALESCE(hi.amount, lo.amount) - lo.amount)
        FROM h JOIN r AS lo ON lo.asset = h.asset AND lo.i = CAST(h.h AS INT)
        LEFT JOIN r AS hi ON hi.asset = h.asset AND hi.i = CAST(h.h AS INT) + 1"""),

    ("device-change-before-large-send", "lag-not-partitioned-by-account",
     slip("device-change-before-large-send", "LAG(device_id) OVER (PARTITION BY account_id ORDER BY at)",
          "LAG(device_id) OVER (ORDER BY at)")),
    ("device-change-before-large-send", "calendar-day-window-reaches-back-30-hours",
     slip("device-change-before-large-send", "c.at >= datetime(s.at, '-24 hours')",
          "date(c.at) >= date(s.at, '-1 day')")),
    ("device-change-before-large-send", "ranked-per-account-keeps-one-send",
     slip("device-change-before-large-send", "PARTITION BY s.id", "PARTITION BY s.account_id")),
    ("device-change-before-large-send", "null-device-dropped-after-lag",
     slips("device-change-before-large-send",
           ("  WHERE device_id IS NOT NULL  -- before LAG, so the next session compares with the one before\n", ""),
           ("WHERE prev_device IS NOT NULL AND", "WHERE device_id IS NOT NULL AND prev_device IS NOT NULL AND"))),

    ("unverified-depositors", "null-amounts-total-null-instead-of-zero",
     slip("unverified-depositors", "COALESCE(SUM(d.amount), 0)", "SUM(d.amount)")),
    ("unverified-depositors", "null-account-deposits-form-a-group",
     slip("unverified-depositors", "WHERE d.account_id IS NOT NULL\n  AND NOT EXISTS", "WHERE NOT EXISTS")),
    ("unverified-depositors", "approval-after-the-deposit-ignored",
     slip("unverified-depositors", "k.status = 'approved'", "k.status = 'approved' AND k.checked_at <= d.at")),
    ("unverified-depositors", "sum-distinct-merges-equal-deposits",
     # DISTINCT as the cure for the fan-out of the join to kyc
     """SELECT d.account_id, COALESCE(SUM(DISTINCT d.amount), 0)
        FROM deposits AS d LEFT JOIN kyc AS k ON k.account_id = d.account_id
        WHERE d.account_id IS NOT NULL GROUP BY d.account_id
        HAVING COALESCE(MAX(k.status = 'approved'), 0) = 0"""),
    ("unverified-depositors", "joined-kyc-rows-multiply-the-total",
     """SELECT d.account_id, COALESCE(SUM(d.amount), 0)
        FROM deposits AS d LEFT JOIN kyc AS k ON k.account_id = d.account_id
        WHERE d.account_id IS NOT NULL GROUP BY d.account_id
        HAVING COALESCE(MAX(k.status = 'approved'), 0) = 0"""),

    ("daily-net-flow", "union-drops-equal-deposits",
     slip("daily-net-flow", "  UNION ALL\n", "  UNION\n")),
    ("daily-net-flow", "full-join-net-null-on-one-sided-days",
     """WITH i AS (SELECT date(at) AS day, SUM(amount) AS s FROM deposits GROUP BY day),
             o AS (SELECT date(at) AS day, SUM(amount) AS s FROM withdrawals GROUP BY day)
        SELECT COALESCE(i.day, o.day), COALESCE(i.s, 0), COALESCE(o.s, 0), i.s - o.s
        FROM i FULL OUTER JOIN o ON o.day = i.day"""),
    ("daily-net-flow", "day-list-with-union-all-repeats-a-day",
     """WITH days AS (SELECT date(at) AS day FROM deposits UNION ALL SELECT date(at) FROM withdrawals),
             i AS (SELECT date(at) AS day, SUM(amount) AS s FROM deposits GROUP BY day),
             o AS (SELECT date(at) AS day, SUM(amount) AS s FROM withdrawals GROUP BY day)
        SELECT d.day, COALESCE(i.s, 0), COALESCE(o.s, 0), COALESCE(i.s, 0) - COALESCE(o.s, 0)
        FROM days AS d LEFT JOIN i ON i.day = d.day LEFT JOIN o ON o.day = d.day"""),
    ("daily-net-flow", "grouped-by-timestamp-not-by-day",
     """WITH f AS (SELECT at, amount AS i, 0 AS o FROM deposits UNION ALL SELECT at, 0, amount FROM withdrawals)
        SELECT date(at), SUM(i), SUM(o), SUM(i) - SUM(o) FROM f GROUP BY at"""),

    ("first-negative-balance", "deepest-dip-taken-for-the-first",
     slip("first-negative-balance", "ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY at, entry_id) AS nth",
          "ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY balance) AS nth")),
    ("first-negative-balance", "smallest-entry-id-taken-for-the-earliest",
     slip("first-negative-balance", "ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY at, entry_id) AS nth",
          "ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY entry_id) AS nth")),
    ("first-negative-balance", "daily-totals-hide-an-intraday-dip",
     """WITH d AS (SELECT account_id, date(at) AS day, SUM(amount) AS s, MAX(entry_id) AS last_id
                   FROM ledger GROUP BY account_id, day),
             r AS (SELECT account_id, day, last_id, SUM(s) OVER (PARTITION BY account_id ORDER BY day) AS b FROM d),
             n AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY day) AS k FROM r WHERE b < 0)
        SELECT account_id, last_id, b FROM n WHERE k = 1"""),
    ("first-negative-balance", "running-sum-not-partitioned-by-account",
     f"""WITH r AS ({RUNNING.format(window="ORDER BY at, entry_id")}),
             n AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY at, entry_id) AS k
                   FROM r WHERE b < 0)
        SELECT account_id, entry_id, b FROM n WHERE k = 1"""),
]


# ------------------------------------------------------------------ the 6 questions of issue 16

PIT = "point-in-time-features"
MATURE = "mature-chargeback-labels"
ALERTS = "daily-alert-precision-recall"
FANOUT = "withdrawal-control-totals"
CDC = "current-profile-from-cdc"
FUNNEL = "kyc-funnel-by-signup-week"

PIT_BEST_PERIOD = """best AS (
  SELECT l.label_id, MAX(f.effective_from) AS eff
  FROM labels AS l JOIN feature_versions AS f
    ON f.account_id = l.account_id AND f.available_at <= l.decided_at
  GROUP BY l.label_id)"""

MATURE_WINDOWS = """WITH x AS (
  SELECT p.payment_id, p.method,
         datetime(p.paid_at, '+' || COALESCE(w.days, 120) || ' days') AS window_end
  FROM payments AS p LEFT JOIN label_windows AS w ON w.method = p.method)
"""
SNAPSHOT = "'2026-04-01 00:00:00'"

ALERT_FLAGS = """WITH k AS (SELECT DISTINCT txn_id FROM fraud_labels WHERE confirmed_at <= '2026-05-01 00:00:00'),
f AS (SELECT date(s.scored_at) AS day, COALESCE(s.score >= 0.8, 0) AS a, k.txn_id IS NOT NULL AS y
      FROM scores AS s LEFT JOIN k ON k.txn_id = s.txn_id)"""
CALENDAR = f"""WITH RECURSIVE cal(day) AS (
  SELECT MIN(date(scored_at)) FROM scores
  UNION ALL
  SELECT date(day, '+1 day') FROM cal WHERE day < (SELECT MAX(date(scored_at)) FROM scores)),
{ALERT_FLAGS.removeprefix("WITH ")}
SELECT c.day, COALESCE(SUM(f.a), 0), COALESCE(SUM(f.y), 0), COALESCE(SUM(f.a * f.y), 0),
       SUM(f.a * f.y) * 1.0 / NULLIF(SUM(f.a), 0), SUM(f.a * f.y) * 1.0 / NULLIF(SUM(f.y), 0)
FROM cal AS c LEFT JOIN f ON f.day = c.day {{where}}
GROUP BY c.day"""

# Amounts and reviews right (correlated), rule hits joined raw: the shape of a half-fixed fan-out.
ACCOUNT_TOTAL = "(SELECT TOTAL(x.amount) FROM withdrawals AS x WHERE x.account_id = w.account_id)"
ACCOUNT_FLAGGED = """(SELECT TOTAL(x.amount) FROM withdrawals AS x WHERE x.account_id = w.account_id
   AND x.withdrawal_id IN (SELECT withdrawal_id FROM rule_hits))"""
ACCOUNT_REVIEWS = """(SELECT COUNT(*) FROM reviews AS r JOIN withdrawals AS x ON x.withdrawal_id = r.withdrawal_id
   WHERE x.account_id = w.account_id)"""
HITS_JOINED = """
FROM withdrawals AS w LEFT JOIN rule_hits AS h ON h.withdrawal_id = w.withdrawal_id
GROUP BY w.account_id"""

FUNNEL_WINDOW = "   AND e.at <= c.window_end\n  GROUP BY c.user_id"

NEW_MISTAKES = [
    (PIT, "joined-on-effective-time-leaks-a-late-version",
     slip(PIT, "AND f.available_at <= l.decided_at", "AND f.effective_from <= l.decided_at")),
    (PIT, "inner-join-drops-a-label-without-versions",
     slip(PIT, "LEFT JOIN visible AS v", "JOIN visible AS v")),
    (PIT, "visibility-tested-in-where-drops-a-label",
     """WITH j AS (
          SELECT l.label_id, l.is_fraud, f.version, f.risk_tier, f.kyc_level,
                 ROW_NUMBER() OVER (PARTITION BY l.label_id ORDER BY f.effective_from DESC, f.version DESC) AS pick
          FROM labels AS l LEFT JOIN feature_versions AS f ON f.account_id = l.account_id
          WHERE f.account_id IS NULL OR f.available_at <= l.decided_at)
        SELECT label_id, is_fraud, version, risk_tier, kyc_level FROM j WHERE pick = 1"""),
    (PIT, "published-at-the-decision-second-is-visible",
     slip(PIT, "f.available_at <= l.decided_at", "f.available_at < l.decided_at")),
    (PIT, "highest-version-is-an-old-backfill",
     slip(PIT, "ORDER BY f.effective_from DESC, f.version DESC", "ORDER BY f.version DESC")),
    (PIT, "highest-version-is-an-old-backfill",
     slip(PIT, "ORDER BY f.effective_from DESC, f.version DESC", "ORDER BY f.available_at DESC, f.version DESC")),
    (PIT, "tie-on-effective-from-joined-back-duplicates-a-label",
     f"""WITH {PIT_BEST_PERIOD}
        SELECT l.label_id, l.is_fraud, f.version, f.risk_tier, f.kyc_level
        FROM labels AS l LEFT JOIN best AS b ON b.label_id = l.label_id
        LEFT JOIN feature_versions AS f ON f.account_id = l.account_id AND f.effective_from = b.eff
                                       AND f.available_at <= l.decided_at"""),
    (PIT, "correction-published-after-the-decision-ignored",
     # period chosen among visible versions, then its highest version without the visibility test
     f"""WITH {PIT_BEST_PERIOD},
        pick AS (SELECT b.label_id, MAX(f.version) AS version
                 FROM best AS b JOIN labels AS l ON l.label_id = b.label_id
                 JOIN feature_versions AS f ON f.account_id = l.account_id AND f.effective_from = b.eff
                 GROUP BY b.label_id)
        SELECT l.label_id, l.is_fraud, f.version, f.risk_tier, f.kyc_level
        FROM labels AS l LEFT JOIN pick AS p ON p.label_id = l.label_id
        LEFT JOIN feature_versions AS f ON f.account_id = l.account_id AND f.version = p.version"""),
    (PIT, "ranked-per-account-keeps-one-label",
     slip(PIT, "PARTITION BY l.label_id", "PARTITION BY l.account_id")),
    (PIT, "compared-by-date-sees-an-evening-publish",
     slip(PIT, "f.available_at <= l.decided_at", "date(f.available_at) <= date(l.decided_at)")),
    (PIT, "max-per-column-mixes-versions",
     """SELECT l.label_id, l.is_fraud, MAX(f.version), MAX(f.risk_tier), MAX(f.kyc_level)
        FROM labels AS l LEFT JOIN feature_versions AS f
          ON f.account_id = l.account_id AND f.available_at <= l.decided_at
        GROUP BY l.label_id, l.is_fraud"""),
    (PIT, "null-tier-filled-from-an-older-version",
     # "the last known value" of each column, one correlated subquery per column
     """SELECT l.label_id, l.is_fraud,
          (SELECT f.version FROM feature_versions AS f WHERE f.account_id = l.account_id
             AND f.available_at <= l.decided_at ORDER BY f.effective_from DESC, f.version DESC LIMIT 1),
          (SELECT f.risk_tier FROM feature_versions AS f WHERE f.account_id = l.account_id
             AND f.available_at <= l.decided_at AND f.risk_tier IS NOT NULL
             ORDER BY f.effective_from DESC, f.version DESC LIMIT 1),
          (SELECT f.kyc_level FROM feature_versions AS f WHERE f.account_id = l.account_id
             AND f.available_at <= l.decided_at ORDER BY f.effective_from DESC, f.version DESC LIMIT 1)
        FROM labels AS l"""),

    (MATURE, "window-ending-exactly-at-the-snapshot-is-mature",
     slip(MATURE, f"x.window_end <= {SNAPSHOT}", f"x.window_end < {SNAPSHOT}")),
    (MATURE, "date-truncation-matures-a-payment-early",
     slip(MATURE, "datetime(p.paid_at, '+'", "date(p.paid_at, '+'")),
    (MATURE, "inner-join-drops-an-unlisted-method",
     slip(MATURE, "LEFT JOIN label_windows AS w", "JOIN label_windows AS w")),
    (MATURE, "chargeback-at-the-window-end-second-counts",
     slip(MATURE, "c.reported_at <= x.window_end", "c.reported_at < x.window_end")),
    (MATURE, "chargeback-after-the-window-counted",
     slip(MATURE, "\n                  AND c.reported_at <= x.window_end", "")),
    (MATURE, "open-dispute-with-null-reported-at-counted",
     MATURE_WINDOWS + f"""SELECT x.payment_id, x.method,
          MAX(CASE WHEN c.payment_id IS NULL OR c.reported_at > x.window_end THEN 0 ELSE 1 END)
        FROM x LEFT JOIN chargebacks AS c ON c.payment_id = x.payment_id
        WHERE x.window_end <= {SNAPSHOT} GROUP BY x.payment_id, x.method"""),
    (MATURE, "several-chargebacks-repeat-a-payment",
     MATURE_WINDOWS + f"""SELECT x.payment_id, x.method, CASE WHEN c.payment_id IS NULL THEN 0 ELSE 1 END
        FROM x LEFT JOIN chargebacks AS c ON c.payment_id = x.payment_id AND c.reported_at <= x.window_end
        WHERE x.window_end <= {SNAPSHOT}"""),
    (MATURE, "immature-payment-kept-for-its-early-chargeback",
     MATURE_WINDOWS + f"""SELECT payment_id, method, is_fraud FROM (
          SELECT x.payment_id, x.method, x.window_end,
                 EXISTS (SELECT 1 FROM chargebacks AS c WHERE c.payment_id = x.payment_id
                           AND c.reported_at <= x.window_end) AS is_fraud
          FROM x)
        WHERE window_end <= {SNAPSHOT} OR is_fraud = 1"""),
    (MATURE, "chargeback-later-on-the-window-end-day-compared-by-date",
     slip(MATURE, "c.reported_at <= x.window_end", "date(c.reported_at) <= date(x.window_end)")),
    (MATURE, "inner-join-to-chargebacks-drops-clean-payments",
     MATURE_WINDOWS + f"""SELECT x.payment_id, x.method, MAX(c.reported_at <= x.window_end)
        FROM x JOIN chargebacks AS c ON c.payment_id = x.payment_id
        WHERE x.window_end <= {SNAPSHOT} GROUP BY x.payment_id, x.method"""),

    (ALERTS, "empty-tables-give-no-calendar-row", CALENDAR.format(where="")),
    (ALERTS, "calendar-adds-a-day-without-transactions", CALENDAR.format(where="WHERE c.day IS NOT NULL")),
    (ALERTS, "score-exactly-at-the-threshold-alerts",
     slip(ALERTS, "s.score >= 0.8", "s.score > 0.8")),
    (ALERTS, "integer-division",
     slips(ALERTS, ("SUM(alerted * fraud) * 1.0 / NULLIF(SUM(alerted), 0)", "SUM(alerted * fraud) / SUM(alerted)"),
           ("SUM(alerted * fraud) * 1.0 / NULLIF(SUM(fraud), 0)", "SUM(alerted * fraud) / SUM(fraud)"))),
    (ALERTS, "day-without-alerts-missing-its-row",
     """WITH a AS (SELECT date(scored_at) AS day, COUNT(*) AS alerts,
                         SUM(EXISTS (SELECT 1 FROM fraud_labels AS f WHERE f.txn_id = s.txn_id
                                       AND f.confirmed_at <= '2026-05-01 00:00:00')) AS caught
                  FROM scores AS s WHERE score >= 0.8 GROUP BY day),
             fr AS (SELECT date(s.scored_at) AS day, COUNT(DISTINCT s.txn_id) AS frauds
                    FROM scores AS s JOIN fraud_labels AS f ON f.txn_id = s.txn_id
                     AND f.confirmed_at <= '2026-05-01 00:00:00' GROUP BY day)
        SELECT a.day, a.alerts, COALESCE(fr.frauds, 0), a.caught, a.caught * 1.0 / a.alerts,
               a.caught * 1.0 / fr.frauds
        FROM a LEFT JOIN fr ON fr.day = a.day"""),
    (ALERTS, "recall-without-known-fraud-turned-into-zero",
     slip(ALERTS, "SUM(alerted * fraud) * 1.0 / NULLIF(SUM(fraud), 0)",
          "COALESCE(SUM(alerted * fraud) * 1.0 / NULLIF(SUM(fraud), 0), 0)")),
    (ALERTS, "label-confirmed-after-the-report-counted",
     slip(ALERTS, "  WHERE confirmed_at <= '2026-05-01 00:00:00'\n", "")),
    (ALERTS, "label-confirmed-at-the-report-instant-left-out",
     slip(ALERTS, "confirmed_at <= '2026-05-01 00:00:00'", "confirmed_at < '2026-05-01 00:00:00'")),
    (ALERTS, "duplicate-label-rows-counted-twice",
     """WITH flags AS (SELECT date(s.scored_at) AS day, COALESCE(s.score >= 0.8, 0) AS alerted,
                             f.txn_id IS NOT NULL AS fraud
                      FROM scores AS s LEFT JOIN fraud_labels AS f
                        ON f.txn_id = s.txn_id AND f.confirmed_at <= '2026-05-01 00:00:00')
        SELECT day, SUM(alerted), SUM(fraud), SUM(alerted * fraud),
               SUM(alerted * fraud) * 1.0 / NULLIF(SUM(alerted), 0), SUM(alerted * fraud) * 1.0 / NULLIF(SUM(fraud), 0)
        FROM flags GROUP BY day"""),
    (ALERTS, "null-score-dropped-from-its-day",
     slip(ALERTS, "LEFT JOIN known_fraud AS k ON k.txn_id = s.txn_id\n",
          "LEFT JOIN known_fraud AS k ON k.txn_id = s.txn_id\n  WHERE s.score IS NOT NULL\n")),
    (ALERTS, "count-of-a-condition-counts-non-alerts",
     f"""{ALERT_FLAGS}
        SELECT day, COUNT(a), SUM(y), SUM(a * y), SUM(a * y) * 1.0 / NULLIF(COUNT(a), 0),
               SUM(a * y) * 1.0 / NULLIF(SUM(y), 0)
        FROM f GROUP BY day"""),
    (ALERTS, "labels-bucketed-by-confirmation-day",
     """WITH a AS (SELECT date(scored_at) AS day, SUM(COALESCE(score >= 0.8, 0)) AS alerts,
                         SUM(COALESCE(score >= 0.8, 0) * EXISTS (SELECT 1 FROM fraud_labels AS f
                               WHERE f.txn_id = s.txn_id AND f.confirmed_at <= '2026-05-01 00:00:00')) AS caught
                  FROM scores AS s GROUP BY day),
             fr AS (SELECT date(confirmed_at) AS day, COUNT(DISTINCT txn_id) AS frauds FROM fraud_labels
                    WHERE confirmed_at <= '2026-05-01 00:00:00' GROUP BY day)
        SELECT a.day, a.alerts, COALESCE(fr.frauds, 0), a.caught, a.caught * 1.0 / NULLIF(a.alerts, 0),
               a.caught * 1.0 / NULLIF(fr.frauds, 0)
        FROM a LEFT JOIN fr ON fr.day = a.day"""),

    (FANOUT, "joined-hits-multiply-the-amount",
     f"""SELECT w.account_id, COUNT(DISTINCT w.withdrawal_id), COALESCE(SUM(w.amount), 0),
               COALESCE(SUM(CASE WHEN h.withdrawal_id IS NOT NULL THEN w.amount END), 0),
               COUNT(h.withdrawal_id), {ACCOUNT_REVIEWS}{HITS_JOINED}"""),
    (FANOUT, "sum-distinct-merges-equal-amounts",
     f"""SELECT w.account_id, COUNT(DISTINCT w.withdrawal_id), COALESCE(SUM(DISTINCT w.amount), 0),
               COALESCE(SUM(DISTINCT CASE WHEN h.withdrawal_id IS NOT NULL THEN w.amount END), 0),
               COUNT(h.withdrawal_id), {ACCOUNT_REVIEWS}{HITS_JOINED}"""),
    (FANOUT, "count-star-counts-hit-rows-as-withdrawals",
     f"""SELECT w.account_id, COUNT(*), {ACCOUNT_TOTAL}, {ACCOUNT_FLAGGED},
               COUNT(h.withdrawal_id), {ACCOUNT_REVIEWS}{HITS_JOINED}"""),
    (FANOUT, "count-star-counts-a-missing-hit-as-one",
     """WITH per AS (SELECT w.withdrawal_id, w.account_id, w.amount, COUNT(*) AS hits
                    FROM withdrawals AS w LEFT JOIN rule_hits AS h ON h.withdrawal_id = w.withdrawal_id
                    GROUP BY w.withdrawal_id),
             revs AS (SELECT withdrawal_id, COUNT(*) AS n FROM reviews GROUP BY withdrawal_id)
        SELECT p.account_id, COUNT(*), COALESCE(SUM(p.amount), 0),
               COALESCE(SUM(CASE WHEN p.hits > 0 THEN p.amount END), 0), SUM(p.hits), COALESCE(SUM(r.n), 0)
        FROM per AS p LEFT JOIN revs AS r ON r.withdrawal_id = p.withdrawal_id GROUP BY p.account_id"""),
    (FANOUT, "inner-join-drops-an-account-without-hits",
     slip(FANOUT, "LEFT JOIN hits AS h", "JOIN hits AS h")),
    (FANOUT, "null-amounts-total-null-instead-of-zero",
     slip(FANOUT, "COALESCE(SUM(w.amount), 0)", "SUM(w.amount)")),
    (FANOUT, "count-of-amount-skips-a-cancelled-withdrawal",
     slip(FANOUT, "COUNT(*) AS withdrawals", "COUNT(w.amount) AS withdrawals")),
    (FANOUT, "flagged-amount-null-instead-of-zero",
     slip(FANOUT, "COALESCE(SUM(CASE WHEN h.n IS NOT NULL THEN w.amount END), 0)",
          "SUM(CASE WHEN h.n IS NOT NULL THEN w.amount END)")),
    (FANOUT, "flagged-amount-repeated-per-hit",
     f"""SELECT w.account_id, COUNT(DISTINCT w.withdrawal_id), {ACCOUNT_TOTAL},
               TOTAL(CASE WHEN h.withdrawal_id IS NOT NULL THEN w.amount END),
               COUNT(h.withdrawal_id), {ACCOUNT_REVIEWS}{HITS_JOINED}"""),
    (FANOUT, "hits-times-reviews-fan-out",
     f"""SELECT w.account_id, COUNT(DISTINCT w.withdrawal_id), {ACCOUNT_TOTAL}, {ACCOUNT_FLAGGED},
               COUNT(h.withdrawal_id), COUNT(r.withdrawal_id)
        FROM withdrawals AS w LEFT JOIN rule_hits AS h ON h.withdrawal_id = w.withdrawal_id
        LEFT JOIN reviews AS r ON r.withdrawal_id = w.withdrawal_id
        GROUP BY w.account_id"""),
    (FANOUT, "count-distinct-rule-merges-repeat-hits",
     # DISTINCT as the cure for hits x reviews
     f"""SELECT w.account_id, COUNT(DISTINCT w.withdrawal_id), {ACCOUNT_TOTAL}, {ACCOUNT_FLAGGED},
               COUNT(DISTINCT h.rule), COUNT(DISTINCT r.reviewer)
        FROM withdrawals AS w LEFT JOIN rule_hits AS h ON h.withdrawal_id = w.withdrawal_id
        LEFT JOIN reviews AS r ON r.withdrawal_id = w.withdrawal_id
        GROUP BY w.account_id"""),

    (CDC, "tie-at-latest-version-joined-back-duplicates",
     """WITH m AS (SELECT account_id, MAX(CAST(version AS INTEGER)) AS v FROM profile_changes GROUP BY account_id)
        SELECT p.account_id, m.v, p.country, p.risk_level
        FROM profile_changes AS p JOIN m ON m.account_id = p.account_id AND CAST(p.version AS INTEGER) = m.v
        WHERE p.op = 'upsert'"""),
    (CDC, "version-tie-broken-by-change-id-before-updated-at",
     slip(CDC, "updated_at DESC NULLS LAST,\n", "")),
    (CDC, "null-updated-at-tie-lost-by-an-equality-join",
     # pre-window style: one MAX and an equality join back per tie-breaker
     """WITH v AS (SELECT account_id, MAX(CAST(version AS INTEGER)) AS mv FROM profile_changes GROUP BY account_id),
             t AS (SELECT p.account_id, v.mv, MAX(p.updated_at) AS mu FROM profile_changes AS p
                   JOIN v ON v.account_id = p.account_id AND CAST(p.version AS INTEGER) = v.mv
                   GROUP BY p.account_id, v.mv),
             c AS (SELECT p.account_id, MAX(p.change_id) AS mc FROM profile_changes AS p
                   JOIN t ON t.account_id = p.account_id AND CAST(p.version AS INTEGER) = t.mv
                         AND p.updated_at = t.mu
                   GROUP BY p.account_id)
        SELECT p.account_id, CAST(p.version AS INTEGER), p.country, p.risk_level
        FROM profile_changes AS p JOIN c ON c.mc = p.change_id WHERE p.op = 'upsert'"""),
    (CDC, "deletes-filtered-before-dedup-resurrect-a-version",
     slips(CDC, ("  FROM profile_changes\n", "  FROM profile_changes\n  WHERE op = 'upsert'\n"),
           ("WHERE pick = 1\n  AND op = 'upsert'", "WHERE pick = 1"))),
    (CDC, "tombstone-listed-as-a-profile",
     slip(CDC, "WHERE pick = 1\n  AND op = 'upsert'", "WHERE pick = 1")),
    (CDC, "version-10-sorts-before-9-as-text",
     slip(CDC, "ORDER BY CAST(version AS INTEGER) DESC,", "ORDER BY version DESC,")),
    (CDC, "clock-skew-gives-a-lower-version-a-later-time",
     slip(CDC, """ORDER BY CAST(version AS INTEGER) DESC,
                                     updated_at DESC NULLS LAST,""",
          """ORDER BY updated_at DESC NULLS LAST,
                                     CAST(version AS INTEGER) DESC,""")),
    (CDC, "max-per-column-mixes-versions",
     """SELECT account_id, MAX(CAST(version AS INTEGER)), MAX(country), MAX(risk_level)
        FROM profile_changes WHERE op = 'upsert' GROUP BY account_id"""),
    (CDC, "final-tie-taken-by-the-lowest-change-id",
     slip(CDC, "change_id DESC", "change_id")),
    (CDC, "account-deleted-once-excluded-for-good",
     slip(CDC, "  AND op = 'upsert';",
          "  AND op = 'upsert'\n  AND account_id NOT IN (SELECT account_id FROM profile_changes WHERE op = 'delete');")),

    (FUNNEL, "sunday-signup-put-in-the-next-week",
     slip(FUNNEL, "date(signed_up_at, '-6 days', 'weekday 1')", "date(signed_up_at, 'weekday 1')")),
    (FUNNEL, "monday-signup-put-in-the-previous-week",
     slip(FUNNEL, "date(signed_up_at, '-6 days', 'weekday 1')", "date(signed_up_at, 'weekday 1', '-7 days')")),
    (FUNNEL, "inner-join-drops-a-cohort-without-approvals",
     slip(FUNNEL, "LEFT JOIN approved AS a", "JOIN approved AS a")),
    (FUNNEL, "repeat-events-counted-per-event",
     # one row per approval event instead of one per user
     slips(FUNNEL, ("SELECT c.user_id, MIN(e.at) AS approved_at", "SELECT c.user_id, e.at AS approved_at"),
           (FUNNEL_WINDOW, "   AND e.at <= c.window_end"),
           ("COUNT(*) AS signups", "COUNT(DISTINCT c.user_id) AS signups"),
           ("COUNT(f.user_id) AS funded", "COUNT(DISTINCT f.user_id) AS funded"),
           ("COUNT(a.user_id) * 1.0 / COUNT(*)", "COUNT(a.user_id) * 1.0 / COUNT(DISTINCT c.user_id)"),
           ("COUNT(f.user_id) * 1.0 / NULLIF", "COUNT(DISTINCT f.user_id) * 1.0 / NULLIF"))),
    (FUNNEL, "approval-exactly-7-days-after-signup-excluded",
     slip(FUNNEL, FUNNEL_WINDOW, "   AND e.at < c.window_end\n  GROUP BY c.user_id")),
    (FUNNEL, "deposit-before-approval-converts",
     slip(FUNNEL, "   AND e.at >= a.approved_at\n", "   AND e.at >= c.signed_up_at\n")),
    (FUNNEL, "deposit-without-approval-converts",
     slip(FUNNEL, """  FROM approved AS a
  JOIN cohorts AS c ON c.user_id = a.user_id
  JOIN events AS e
    ON e.user_id = a.user_id
   AND e.step = 'deposit'
   AND e.at >= a.approved_at""", """  FROM cohorts AS c
  JOIN events AS e
    ON e.user_id = c.user_id
   AND e.step = 'deposit'
   AND e.at >= c.signed_up_at""").replace("SELECT DISTINCT a.user_id", "SELECT DISTINCT c.user_id")),
    (FUNNEL, "integer-division",
     slips(FUNNEL, ("COUNT(a.user_id) * 1.0 / COUNT(*)", "COUNT(a.user_id) / COUNT(*)"),
           ("COUNT(f.user_id) * 1.0 / NULLIF", "COUNT(f.user_id) / NULLIF"))),
    (FUNNEL, "funding-rate-divided-by-signups",
     slip(FUNNEL, "COUNT(f.user_id) * 1.0 / NULLIF(COUNT(a.user_id), 0)", "COUNT(f.user_id) * 1.0 / COUNT(*)")),
    (FUNNEL, "funding-rate-zero-instead-of-null",
     slip(FUNNEL, "COUNT(f.user_id) * 1.0 / NULLIF(COUNT(a.user_id), 0)",
          "COALESCE(COUNT(f.user_id) * 1.0 / NULLIF(COUNT(a.user_id), 0), 0)")),
    (FUNNEL, "event-before-signup-counted",
     slip(FUNNEL, "   AND e.at >= c.signed_up_at\n", "")),
    (FUNNEL, "deposit-window-counted-from-approval",
     slip(FUNNEL, "   AND e.at <= c.window_end\n)", "   AND e.at <= datetime(a.approved_at, '+7 days')\n)")),
]

MISTAKES: list[tuple[str, str, str]] = ORIGINAL_MISTAKES + NEW_MISTAKES


# ------------------------------------------------------------------ coverage of the table

def test_the_table_names_real_datasets_and_covers_every_added_one():
    names = {(q.id, c.name) for q in QUESTIONS.values() for c in q.tests}
    unknown = [(qid, name) for qid, name, _ in MISTAKES if (qid, name) not in names]
    assert not unknown, f"no such hidden dataset: {unknown}"
    covered = {(qid, name) for qid, name, _ in MISTAKES}
    added = [(q.id, c.name) for q in QUESTIONS.values() for c in q.tests
             if c.name not in ORIGINAL.get(q.id, set()) and c.name != BASELINE]
    missing = [pair for pair in added if pair not in covered]
    assert not missing, f"added datasets without a wrong query that they catch: {missing}"
    # Every dataset has a unique name within its question, or the judge's verdicts are ambiguous.
    for q in QUESTIONS.values():
        dupes = [n for n, k in Counter(c.name for c in q.tests).items() if k > 1]
        assert not dupes, f"{q.id}: dataset names used twice: {dupes}"


def test_every_question_has_enough_mistake_datasets():
    # At least ten hidden datasets each; a new question has ten that name a mistake besides
    # its `empty` baseline, an original one has its six or seven plus enough named ones.
    counts = Counter(qid for qid, _name in {(q, n) for q, n, _ in MISTAKES})
    for q in QUESTIONS.values():
        assert len(q.tests) >= 10, f"{q.id}: {len(q.tests)} hidden datasets"
        need = 10 - len(ORIGINAL.get(q.id, set()))
        assert counts[q.id] >= need, f"{q.id}: {counts[q.id]} datasets with a named mistake, want {need}"


def test_the_original_names_are_still_there():
    # Adding datasets must not rename or remove the ones shipped before.
    for qid, names in ORIGINAL.items():
        assert names <= {c.name for c in QUESTIONS[qid].tests}, qid


# ------------------------------------------------------------------ the judge

@pytest.mark.parametrize(("qid", "dataset", "query"),
                         [pytest.param(q, d, w, id=f"{q}/{d}") for q, d, w in MISTAKES])
def test_the_wrong_query_fails_its_named_dataset(qid, dataset, query):
    res = judge_sql(loaded(qid), query)
    by_name = {c.name: c for c in res.cases}
    case = by_name[dataset]
    assert res.error is None, res.error  # it ran: a query that does not even run proves nothing
    assert case.status == "wrong_answer", (
        f"{qid}: the wrong query passes {dataset!r} ({case.status})")


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_the_reference_passes_every_dataset(qid):
    res = judge_sql(loaded(qid), reference(qid))
    failing = [(c.name, c.status, c.message) for c in res.cases if not c.passed]
    assert res.verdict == "passed" and not failing, failing


def test_every_new_question_has_an_independent_answer():
    assert {p.stem for p in INDEPENDENT.glob("*.sql")} == set(NEW)
    assert set(NEW) <= set(QUESTIONS)


@pytest.mark.parametrize("qid", NEW)
def test_an_independent_answer_passes_every_dataset(qid):
    text = (INDEPENDENT / f"{qid}.sql").read_text(encoding="utf-8")
    assert text.strip() != reference(qid).strip()
    res = judge_sql(loaded(qid), text)
    failing = [(c.name, c.status, c.message) for c in res.cases if not c.passed]
    assert res.verdict == "passed" and not failing, failing
