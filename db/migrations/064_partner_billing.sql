-- A partner's billing details (legal name, VAT id, postal address, Peppol electronic address), all optional: who the
-- partner is as the buyer on the invoices we issue for its orders. Checked in code against their schema
-- (contracts/partner-billing.ts) before they are stored; NULL is a partner without them.
ALTER TABLE partners
  ADD COLUMN billing jsonb CHECK (billing IS NULL OR jsonb_typeof(billing) = 'object');

-- The buyer of an issued invoice as it was when the invoice's number was taken: its name and billing details then,
-- so the invoice does not change when the partner is renamed or its details change. NULL on invoices issued before
-- this migration: they name the partner by its current name, as they always did.
ALTER TABLE issued_invoices
  ADD COLUMN buyer jsonb CHECK (buyer IS NULL OR (jsonb_typeof(buyer) = 'object' AND jsonb_typeof(buyer -> 'name') = 'string'));
