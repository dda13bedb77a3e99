-- Stack both sides first: joining them by day would drop one-sided days or fan out sums.
WITH flows AS (
  SELECT date(at) AS day, amount AS inflow, 0 AS outflow FROM deposits
  UNION ALL
  SELECT date(at), 0, amount FROM withdrawals
)
SELECT day,
       SUM(inflow) AS inflow,
       SUM(outflow) AS outflow,
       SUM(inflow) - SUM(outflow) AS net
FROM flows
GROUP BY day;
