-- A correlated sum keeps the window exact on text timestamps: (at - 7 days, at],
-- including other transfers at the very same second.
SELECT t.id AS transfer_id,
       t.account_id,
       (SELECT SUM(u.amount)
          FROM transfers AS u
         WHERE u.account_id = t.account_id
           AND u.at > datetime(t.at, '-7 days')
           AND u.at <= t.at) AS volume_7d
FROM transfers AS t;
