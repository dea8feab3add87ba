-- Intake: Idempotency-Key records, business keys for invoices, batches, and workflow-start bookkeeping.

-- One row per (partner, Idempotency-Key). The row is claimed (pending) in the same transaction that stores the
-- submission, so concurrent duplicates find it; once answered it keeps the original response for replay.
CREATE TABLE idempotency_keys (
  partner_id text NOT NULL REFERENCES partners (id),
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash text NOT NULL,
  submission_id text,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
  response_status integer,
  response_body jsonb,
  response_location text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, key)
);

-- A partner's invoice number is accepted once (orders keep their reference but may repeat it).
CREATE UNIQUE INDEX submissions_invoice_number ON submissions (partner_id, external_ref) WHERE type = 'invoice';

CREATE TABLE batches (
  id text PRIMARY KEY,
  partner_id text NOT NULL REFERENCES partners (id),
  line_count integer NOT NULL,
  accepted_count integer NOT NULL,
  rejected_count integer NOT NULL,
  -- Rejected lines with their errors; accepted lines are the submissions carrying this batch id.
  rejected jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX batches_partner ON batches (partner_id, created_at DESC);

ALTER TABLE submissions ADD COLUMN batch_id text REFERENCES batches (id);
ALTER TABLE submissions ADD COLUMN batch_line integer;
-- Set once the workflow is known to exist; the sweeper starts workflows for rows where it stays NULL.
ALTER TABLE submissions ADD COLUMN workflow_started_at timestamptz;
UPDATE submissions SET workflow_started_at = created_at;

CREATE INDEX submissions_batch ON submissions (batch_id, status) WHERE batch_id IS NOT NULL;
CREATE INDEX submissions_unstarted ON submissions (created_at) WHERE workflow_started_at IS NULL;
-- Listing pages by id (time-ordered), newest first, optionally by status.
CREATE INDEX submissions_partner_ids ON submissions (partner_id, id DESC);
CREATE INDEX submissions_partner_status_ids ON submissions (partner_id, status, id DESC);

-- Each activity attempt's outcome, written by a worker interceptor; the status document reads it.
CREATE TABLE activity_attempts (
  submission_id text NOT NULL,
  activity_type text NOT NULL,
  attempt integer NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('running', 'completed', 'failed')),
  error text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (submission_id, activity_type, attempt)
);
