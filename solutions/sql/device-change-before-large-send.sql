WITH sessions_with_prev AS (
  SELECT account_id, device_id, at,
         LAG(device_id) OVER (PARTITION BY account_id ORDER BY at) AS prev_device
  FROM sessions
  WHERE device_id IS NOT NULL  -- before LAG, so the next session compares with the one before
),
changes AS (
  SELECT account_id, at, prev_device, device_id
  FROM sessions_with_prev
  WHERE prev_device IS NOT NULL AND prev_device <> device_id
),
hits AS (
  SELECT s.id, s.account_id, c.prev_device, c.device_id,
         ROW_NUMBER() OVER (PARTITION BY s.id ORDER BY c.at DESC) AS latest
  FROM sends AS s
  JOIN changes AS c
    ON c.account_id = s.account_id
   AND c.at >= datetime(s.at, '-24 hours')
   AND c.at <= s.at
  WHERE s.amount >= 10000
)
SELECT id AS send_id, account_id, prev_device AS previous_device, device_id AS new_device
FROM hits
WHERE latest = 1;
