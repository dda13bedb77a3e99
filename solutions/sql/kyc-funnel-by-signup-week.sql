-- The Monday on or before a date: back six days, then forward to the next Monday
-- ('weekday 1' leaves a Monday where it is).
WITH cohorts AS (
  SELECT user_id,
         signed_up_at,
         date(signed_up_at, '-6 days', 'weekday 1') AS cohort,
         datetime(signed_up_at, '+7 days') AS window_end
  FROM users
),
approved AS (
  SELECT c.user_id, MIN(e.at) AS approved_at
  FROM cohorts AS c
  JOIN events AS e
    ON e.user_id = c.user_id
   AND e.step = 'kyc_approved'
   AND e.at >= c.signed_up_at
   AND e.at <= c.window_end
  GROUP BY c.user_id
),
funded AS (
  SELECT DISTINCT a.user_id
  FROM approved AS a
  JOIN cohorts AS c ON c.user_id = a.user_id
  JOIN events AS e
    ON e.user_id = a.user_id
   AND e.step = 'deposit'
   AND e.at >= a.approved_at
   AND e.at <= c.window_end
)
SELECT c.cohort,
       COUNT(*) AS signups,
       COUNT(a.user_id) AS approved,
       COUNT(f.user_id) AS funded,
       COUNT(a.user_id) * 1.0 / COUNT(*) AS approval_rate,
       COUNT(f.user_id) * 1.0 / NULLIF(COUNT(a.user_id), 0) AS funding_rate
FROM cohorts AS c
LEFT JOIN approved AS a ON a.user_id = c.user_id
LEFT JOIN funded AS f ON f.user_id = c.user_id
GROUP BY c.cohort;
