-- ROWS, and entry_id as tie-breaker: entries at the same second are applied one by one.
WITH running AS (
  SELECT account_id, entry_id, at,
         SUM(amount) OVER (PARTITION BY account_id ORDER BY at, entry_id
                           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS balance
  FROM ledger
),
negative AS (
  SELECT account_id, entry_id, balance,
         ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY at, entry_id) AS nth
  FROM running
  WHERE balance < 0
)
SELECT account_id, entry_id, balance
FROM negative
WHERE nth = 1;
