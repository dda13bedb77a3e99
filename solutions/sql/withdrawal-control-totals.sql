-- Bring each child table down to one row per withdrawal before joining: joined raw, every
-- withdrawal would repeat once per (hit, review) pair and every sum and count would grow.
WITH hits AS (
  SELECT withdrawal_id, COUNT(*) AS n FROM rule_hits GROUP BY withdrawal_id
),
revs AS (
  SELECT withdrawal_id, COUNT(*) AS n FROM reviews GROUP BY withdrawal_id
)
SELECT w.account_id,
       COUNT(*) AS withdrawals,
       COALESCE(SUM(w.amount), 0) AS total_amount,
       COALESCE(SUM(CASE WHEN h.n IS NOT NULL THEN w.amount END), 0) AS flagged_amount,
       COALESCE(SUM(h.n), 0) AS rule_hits,
       COALESCE(SUM(r.n), 0) AS reviews
FROM withdrawals AS w
LEFT JOIN hits AS h ON h.withdrawal_id = w.withdrawal_id
LEFT JOIN revs AS r ON r.withdrawal_id = w.withdrawal_id
GROUP BY w.account_id;
