-- Per-partner rate limits shared by every API process: one token bucket row per key. Processes lease tokens from it
-- in chunks (one UPDATE per chunk, not per request); `granted` is what the last lease took, read back by RETURNING.
CREATE TABLE rate_limit_buckets (
  key text PRIMARY KEY,
  tokens double precision NOT NULL,
  granted integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
