-- Credit notes (EN 16931 / Peppol BIS 3.0) as a submission type of their own, the ledger credits they book, and
-- the documents embedded in partners' invoices (claim check: kept here, never in a workflow payload).
ALTER TABLE submissions DROP CONSTRAINT submissions_type_check;
ALTER TABLE submissions ADD CONSTRAINT submissions_type_check CHECK (type IN ('order', 'invoice', 'credit_note'));

-- A partner's credit note number is accepted once, like an invoice number (its own series).
CREATE UNIQUE INDEX submissions_credit_note_number ON submissions (partner_id, external_ref) WHERE type = 'credit_note';

-- An invoice may total a negative amount (a correction); it is booked as such, and its payout is zero.
ALTER TABLE ledger_payables DROP CONSTRAINT ledger_payables_amount_minor_check;

-- One credit per credit note: what it takes off the payable of the invoice it corrects, or a free-standing credit
-- when it names no invoice we booked.
CREATE TABLE ledger_credits (
  id text PRIMARY KEY,
  submission_id text NOT NULL UNIQUE REFERENCES submissions (id),
  partner_id text NOT NULL REFERENCES partners (id),
  credit_note_number text NOT NULL,
  currency char(3) NOT NULL,
  amount_minor bigint NOT NULL,
  reverses_payable_id text REFERENCES ledger_payables (id),
  -- What happened to the corrected invoice's payout: cancelled, reduced, already_paid, none.
  payout_action text NOT NULL CHECK (payout_action IN ('cancelled', 'reduced', 'already_paid', 'none')),
  recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invoice_attachments (
  id text PRIMARY KEY,
  partner_id text NOT NULL REFERENCES partners (id),
  sha256 text NOT NULL,
  mime_code text,
  filename text,
  size_bytes integer NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (partner_id, sha256)
);
