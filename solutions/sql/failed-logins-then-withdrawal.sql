-- Join each withdrawal to the same account's failed logins in the closed hour before it.
SELECT w.id AS withdrawal_id,
       w.account_id,
       COUNT(*) AS failed_logins
FROM withdrawals AS w
JOIN logins AS l
  ON l.account_id = w.account_id
 AND l.success = 0
 AND l.at >= datetime(w.at, '-1 hour')
 AND l.at <= w.at
GROUP BY w.id, w.account_id
HAVING COUNT(*) >= 3;
