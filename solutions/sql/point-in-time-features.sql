-- Visible = published by the decision (available_at, not effective_from: a backfill describes
-- the past but was unreadable then). Among visible versions: latest period, then latest correction.
WITH visible AS (
  SELECT l.label_id,
         f.version,
         f.risk_tier,
         f.kyc_level,
         ROW_NUMBER() OVER (PARTITION BY l.label_id
                            ORDER BY f.effective_from DESC, f.version DESC) AS pick
  FROM labels AS l
  JOIN feature_versions AS f
    ON f.account_id = l.account_id
   AND f.available_at <= l.decided_at
)
SELECT l.label_id, l.is_fraud, v.version, v.risk_tier, v.kyc_level
FROM labels AS l
LEFT JOIN visible AS v
  ON v.label_id = l.label_id
 AND v.pick = 1;
