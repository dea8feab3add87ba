-- Webhook endpoints, one delivery per (event, endpoint), and every HTTP attempt of a delivery.
-- Secrets must stay recoverable to sign (Standard Webhooks uses a shared HMAC key): AES-GCM sealed with
-- WEBHOOK_SECRET_KEY when it is set (domain/webhooks/secret-box.ts), as they are otherwise.
CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  partner_id text NOT NULL REFERENCES partners (id),
  url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  description text,
  -- Empty means every event type.
  event_types text[] NOT NULL DEFAULT '{}',
  secret text NOT NULL,
  -- The secret before the last rotation, still used to sign until previous_secret_expires_at.
  previous_secret text,
  previous_secret_expires_at timestamptz,
  enabled boolean NOT NULL DEFAULT true,
  disabled_reason text,
  disabled_at timestamptz,
  -- Start of the current run of failed attempts; null while the endpoint answers 2xx.
  failing_since timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);

CREATE INDEX webhook_endpoints_partner ON webhook_endpoints (partner_id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
  -- Also the webhook-id header: the same on every attempt and every redelivery.
  id text PRIMARY KEY,
  partner_id text NOT NULL REFERENCES partners (id),
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id),
  event_id text NOT NULL REFERENCES events (id),
  submission_id text REFERENCES submissions (id),
  event_type text NOT NULL,
  -- The exact bytes sent on every attempt.
  payload text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'exhausted', 'cancelled')),
  attempt_count integer NOT NULL DEFAULT 0,
  last_attempt_at timestamptz,
  last_status_code integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, endpoint_id)
);

CREATE INDEX webhook_deliveries_submission ON webhook_deliveries (submission_id);
CREATE INDEX webhook_deliveries_endpoint_status ON webhook_deliveries (endpoint_id, status, created_at);

CREATE TABLE webhook_attempts (
  id bigserial PRIMARY KEY,
  delivery_id text NOT NULL REFERENCES webhook_deliveries (id),
  attempt integer NOT NULL,
  started_at timestamptz NOT NULL,
  latency_ms integer NOT NULL,
  status_code integer,
  error text,
  succeeded boolean NOT NULL,
  UNIQUE (delivery_id, attempt)
);
