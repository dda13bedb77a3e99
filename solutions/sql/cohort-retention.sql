WITH cohorts AS (
  SELECT user_id,
         strftime('%Y-%m', signup_at) AS cohort,
         CAST(strftime('%Y', signup_at) AS INTEGER) * 12
           + CAST(strftime('%m', signup_at) AS INTEGER) AS signup_month
  FROM users
),
sizes AS (
  SELECT cohort, COUNT(*) AS size FROM cohorts GROUP BY cohort
),
active AS (
  SELECT DISTINCT c.cohort,
         c.user_id,
         CAST(strftime('%Y', t.at) AS INTEGER) * 12
           + CAST(strftime('%m', t.at) AS INTEGER) - c.signup_month AS month_offset
  FROM cohorts AS c
  JOIN trades AS t ON t.user_id = c.user_id
)
SELECT a.cohort,
       a.month_offset,
       COUNT(*) AS active_users,
       COUNT(*) * 1.0 / s.size AS retention
FROM active AS a
JOIN sizes AS s ON s.cohort = a.cohort
WHERE a.month_offset >= 0
GROUP BY a.cohort, a.month_offset, s.size;
