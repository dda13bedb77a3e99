WITH firsts AS (
  SELECT event_id,
         account_id,
         amount,
         ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY received_at) AS copy
  FROM events
)
SELECT account_id,
       COUNT(*) AS events,
       COALESCE(SUM(amount), 0) AS total_amount
FROM firsts
WHERE copy = 1
GROUP BY account_id;
