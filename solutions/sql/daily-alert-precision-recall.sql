-- One row per transaction with two 0/1 flags, then sums: no join can repeat a transaction,
-- and a day without alerts or without known fraud keeps its row.
WITH known_fraud AS (
  SELECT DISTINCT txn_id
  FROM fraud_labels
  WHERE confirmed_at <= '2026-05-01 00:00:00'
),
flags AS (
  SELECT date(s.scored_at) AS day,
         COALESCE(s.score >= 0.8, 0) AS alerted,
         k.txn_id IS NOT NULL AS fraud
  FROM scores AS s
  LEFT JOIN known_fraud AS k ON k.txn_id = s.txn_id
)
SELECT day,
       SUM(alerted) AS alerts,
       SUM(fraud) AS frauds,
       SUM(alerted * fraud) AS caught,
       SUM(alerted * fraud) * 1.0 / NULLIF(SUM(alerted), 0) AS precision,
       SUM(alerted * fraud) * 1.0 / NULLIF(SUM(fraud), 0) AS recall
FROM flags
GROUP BY day;
