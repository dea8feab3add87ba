-- Invoices partners send us: approval decisions, the payables ledger, scheduled payouts, and the default payment
-- provider's injected faults (tests and demos).
CREATE TABLE invoice_approvals (
  submission_id text PRIMARY KEY REFERENCES submissions (id),
  decision text NOT NULL CHECK (decision IN ('approved', 'rejected')),
  approver text NOT NULL,
  comment text,
  decided_at timestamptz NOT NULL DEFAULT now()
);

-- One payable per partner invoice number: a second recording of the same invoice is refused by the constraint.
CREATE TABLE ledger_payables (
  id text PRIMARY KEY,
  submission_id text NOT NULL UNIQUE REFERENCES submissions (id),
  partner_id text NOT NULL REFERENCES partners (id),
  partner_invoice_number text NOT NULL,
  currency char(3) NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (partner_id, partner_invoice_number)
);

CREATE TABLE payouts (
  id text PRIMARY KEY,
  payable_id text NOT NULL UNIQUE REFERENCES ledger_payables (id),
  partner_id text NOT NULL REFERENCES partners (id),
  currency char(3) NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  due_date date NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'paid', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX payouts_due ON payouts (due_date) WHERE status = 'scheduled';

-- Attempts seen per idempotency key for the default provider's outage tokens (pm_card_outage_N fails N times).
CREATE TABLE payment_fault_attempts (
  idempotency_key text PRIMARY KEY,
  attempts integer NOT NULL
);
