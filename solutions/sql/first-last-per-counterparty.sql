WITH ranked AS (
  SELECT counterparty,
         id,
         ROW_NUMBER() OVER (PARTITION BY counterparty ORDER BY at, id) AS from_first,
         ROW_NUMBER() OVER (PARTITION BY counterparty ORDER BY at DESC, id DESC) AS from_last
  FROM transfers
  WHERE counterparty IS NOT NULL
    AND at IS NOT NULL  -- a pending transfer would sort first: NULL is below any text
)
SELECT counterparty,
       MAX(CASE WHEN from_first = 1 THEN id END) AS first_transfer_id,
       MAX(CASE WHEN from_last = 1 THEN id END) AS last_transfer_id,
       COUNT(*) AS transfers
FROM ranked
GROUP BY counterparty;
