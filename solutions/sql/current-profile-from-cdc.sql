-- Rank every row, deletes included: dropping deletes first would bring back the version a
-- delete replaced. version is text, so it is ranked as a number.
WITH ranked AS (
  SELECT account_id,
         CAST(version AS INTEGER) AS version,
         op,
         country,
         risk_level,
         ROW_NUMBER() OVER (PARTITION BY account_id
                            ORDER BY CAST(version AS INTEGER) DESC,
                                     updated_at DESC NULLS LAST,
                                     change_id DESC) AS pick
  FROM profile_changes
)
SELECT account_id, version, country, risk_level
FROM ranked
WHERE pick = 1
  AND op = 'upsert';
