-- The approval gate also looks at a partner's rolling 24-hour sum: an invoice whose amount plus the partner's invoices
-- of the last 24 hours exceeds this limit waits for approval, so splitting an invoice does not avoid the gate.
ALTER TABLE partners
  ADD COLUMN approval_daily_limit_minor bigint NOT NULL DEFAULT 5000000 CHECK (approval_daily_limit_minor >= 0);
