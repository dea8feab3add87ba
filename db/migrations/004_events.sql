-- Events raised for partners (the source of webhook deliveries). One event per submission and type.
CREATE TABLE events (
  id text PRIMARY KEY,
  partner_id text NOT NULL REFERENCES partners (id),
  submission_id text REFERENCES submissions (id),
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (submission_id, type)
);

CREATE INDEX events_partner_recent ON events (partner_id, created_at DESC);
