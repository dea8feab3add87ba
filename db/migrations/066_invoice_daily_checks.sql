-- When an invoice's (or a credit note's below zero) daily-limit check first ran (db/invoice-daily-sum.ts). The approval gate's rolling daily sum
-- counts the partner's invoices checked before this one: the checks of a partner take turns, so of any two invoices
-- the one checked second counts the other, whatever order their transactions began and committed in. Counting by
-- arrival (created_at, the start of the storing transaction) left out both of two invoices when a batch that began
-- first committed after an invoice sent meanwhile had been checked.
ALTER TABLE submissions ADD COLUMN daily_checked_at timestamptz;
-- Invoices stored before this migration count from their arrival, as they did; only the last day's can still fall
-- in a window (every later check is marked after this migration), so only they are marked.
UPDATE submissions SET daily_checked_at = created_at WHERE type = 'invoice' AND created_at > now() - interval '24 hours';
CREATE INDEX submissions_daily_checks ON submissions (partner_id, daily_checked_at) WHERE daily_checked_at IS NOT NULL;
