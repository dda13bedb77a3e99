-- A payment is labelled only once its window has closed; its label looks inside that window.
WITH windows AS (
  SELECT p.payment_id,
         p.method,
         datetime(p.paid_at, '+' || COALESCE(w.days, 120) || ' days') AS window_end
  FROM payments AS p
  LEFT JOIN label_windows AS w ON w.method = p.method
)
SELECT x.payment_id,
       x.method,
       EXISTS (SELECT 1
                 FROM chargebacks AS c
                WHERE c.payment_id = x.payment_id
                  AND c.reported_at <= x.window_end) AS is_fraud
FROM windows AS x
WHERE x.window_end <= '2026-04-01 00:00:00';
