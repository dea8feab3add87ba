-- Subscriptions billed by the daily billing run, the outcome of each charge, and the runs with their reports.
CREATE TABLE subscriptions (
  id text PRIMARY KEY,
  partner_id text NOT NULL REFERENCES partners (id),
  plan text NOT NULL CHECK (length(plan) BETWEEN 1 AND 200),
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  billing_interval text NOT NULL DEFAULT 'monthly' CHECK (billing_interval IN ('monthly', 'yearly')),
  payment_method text NOT NULL CHECK (payment_method LIKE 'pm\_%'),
  subscriber_email text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  -- The anchor keeps the day of month (31st stays the 31st where the month has one); the next period is due on
  -- next_period_start.
  anchor_date date NOT NULL,
  next_period_start date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz
);

CREATE INDEX subscriptions_partner ON subscriptions (partner_id);
CREATE INDEX subscriptions_due ON subscriptions (next_period_start) WHERE status = 'active';

-- One row per subscription and period: the unique key makes the charge of a period happen exactly once.
CREATE TABLE subscription_charges (
  subscription_id text NOT NULL REFERENCES subscriptions (id),
  period date NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  -- 0 for the first charge; each retry of a failed charge gets the next number (and its own idempotency key).
  attempt integer NOT NULL DEFAULT 0,
  amount_minor bigint NOT NULL,
  currency text NOT NULL,
  charge_id text,
  failure_code text,
  failure_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscription_id, period)
);

CREATE INDEX subscription_charges_failed ON subscription_charges (period) WHERE status = 'failed';

CREATE TABLE billing_runs (
  id text PRIMARY KEY,
  run_date date NOT NULL,
  -- The first Temporal run id of the workflow (it survives continue-as-new): opening a run twice returns the same row.
  temporal_run_id text NOT NULL UNIQUE,
  dry_run boolean NOT NULL,
  retry_failed boolean NOT NULL,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed')),
  totals jsonb,
  report_csv text,
  report_pdf bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);

CREATE INDEX billing_runs_date ON billing_runs (run_date);

-- The lines of a run's report: what was charged, declined, skipped or (dry run) would be charged.
CREATE TABLE billing_run_items (
  run_id text NOT NULL REFERENCES billing_runs (id),
  subscription_id text NOT NULL REFERENCES subscriptions (id),
  period date NOT NULL,
  status text NOT NULL CHECK (status IN ('charged', 'failed', 'skipped', 'would_charge')),
  amount_minor bigint NOT NULL,
  currency text NOT NULL,
  charge_id text,
  detail text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, subscription_id, period)
);
