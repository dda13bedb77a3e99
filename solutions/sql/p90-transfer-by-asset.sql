-- Nearest rank: the first row whose rank reaches 90% of the count (integer test, no float).
WITH ranked AS (
  SELECT asset,
         amount,
         ROW_NUMBER() OVER (PARTITION BY asset ORDER BY amount) AS pos,
         COUNT(*) OVER (PARTITION BY asset) AS n
  FROM transfers
  WHERE amount IS NOT NULL
)
SELECT asset, n, MIN(amount) AS p90
FROM ranked
WHERE pos * 10 >= n * 9
GROUP BY asset, n;
