-- Partners and their API keys. Keys are stored only as SHA-256 hashes of their secret part.
CREATE TABLE partners (
  id text PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  contact_email text,
  approval_threshold_minor bigint NOT NULL DEFAULT 1000000 CHECK (approval_threshold_minor >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  partner_id text NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  secret_hash bytea NOT NULL,
  label text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

CREATE INDEX api_keys_partner ON api_keys (partner_id);
