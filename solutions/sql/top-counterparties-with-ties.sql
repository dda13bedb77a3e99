WITH totals AS (
  SELECT account_id, counterparty, SUM(amount) AS total
  FROM transfers
  GROUP BY account_id, counterparty
),
tiered AS (
  SELECT account_id, counterparty, total,
         DENSE_RANK() OVER (PARTITION BY account_id ORDER BY total DESC) AS tier
  FROM totals
)
SELECT account_id, counterparty, total, tier
FROM tiered
WHERE tier <= 2
ORDER BY account_id, tier, counterparty;
