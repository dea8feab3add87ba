-- One row per accepted submission. The payload is kept here (claim check); workflows receive only the id.
CREATE TABLE submissions (
  id text PRIMARY KEY,
  partner_id text NOT NULL REFERENCES partners (id),
  type text NOT NULL CHECK (type IN ('order', 'invoice')),
  status text NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'processing', 'awaiting_approval', 'completed', 'failed', 'cancelled')),
  workflow_id text NOT NULL UNIQUE,
  external_ref text,
  payload jsonb NOT NULL,
  state jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX submissions_partner_recent ON submissions (partner_id, created_at DESC, id DESC);
