-- Orders as persisted by the order workflow, the default payment provider's charges and refunds,
-- invoices we issue, and the per-partner, per-year gap-free invoice counters.
CREATE TABLE orders (
  submission_id text PRIMARY KEY REFERENCES submissions (id),
  partner_id text NOT NULL REFERENCES partners (id),
  order_number text NOT NULL,
  currency char(3) NOT NULL,
  customer_name text NOT NULL,
  customer_email text NOT NULL,
  subtotal_minor bigint NOT NULL CHECK (subtotal_minor >= 0),
  tax_minor bigint NOT NULL CHECK (tax_minor >= 0),
  total_minor bigint NOT NULL CHECK (total_minor >= 0),
  lines jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payment_charges (
  id text PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  request_fingerprint text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  currency char(3) NOT NULL,
  payment_method text NOT NULL,
  description text,
  status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  failure_code text,
  amount_refunded_minor bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payment_refunds (
  id text PRIMARY KEY,
  charge_id text NOT NULL REFERENCES payment_charges (id),
  idempotency_key text NOT NULL UNIQUE,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invoice_counters (
  partner_id text NOT NULL REFERENCES partners (id),
  year integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (partner_id, year)
);

CREATE TABLE issued_invoices (
  id text PRIMARY KEY,
  submission_id text NOT NULL UNIQUE REFERENCES submissions (id),
  partner_id text NOT NULL REFERENCES partners (id),
  invoice_number text NOT NULL,
  currency char(3) NOT NULL,
  total_minor bigint NOT NULL,
  document bytea,
  issued_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (partner_id, invoice_number)
);
