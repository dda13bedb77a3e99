-- Gaps and islands: on consecutive days, day number minus row number is constant.
WITH days AS (
  SELECT DISTINCT account_id, date(at) AS day FROM logins
),
islands AS (
  SELECT account_id,
         day,
         julianday(day) - ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY day) AS island
  FROM days
),
runs AS (
  SELECT account_id, MIN(day) AS start_day, COUNT(*) AS days
  FROM islands
  GROUP BY account_id, island
),
best AS (
  SELECT account_id, start_day, days,
         ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY days DESC, start_day) AS pick
  FROM runs
)
SELECT account_id, days AS longest_streak, start_day AS streak_start
FROM best
WHERE pick = 1;
