-- NOT EXISTS, not NOT IN: kyc.account_id holds NULLs, and NOT IN against a NULL is never true.
SELECT d.account_id, COALESCE(SUM(d.amount), 0) AS total_deposits
FROM deposits AS d
WHERE d.account_id IS NOT NULL
  AND NOT EXISTS (
        SELECT 1 FROM kyc AS k
        WHERE k.account_id = d.account_id AND k.status = 'approved'
      )
GROUP BY d.account_id;
