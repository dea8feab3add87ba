/** The `webhook_endpoints` table: where partners want their callbacks, with their signing secrets. */
import type pg from 'pg';
import { withTransaction, type Queryable } from './pool';

/** An endpoint as stored (secrets included: only workers and the create/rotate answers may expose them). */
export interface WebhookEndpointRow {
  id: string;
  partnerId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

const COLUMNS = `id, partner_id AS "partnerId", url, description, event_types AS "eventTypes", secret,
  previous_secret AS "previousSecret", previous_secret_expires_at AS "previousSecretExpiresAt", enabled,
  disabled_reason AS "disabledReason", disabled_at AS "disabledAt", failing_since AS "failingSince",
  created_at AS "createdAt", updated_at AS "updatedAt", deleted_at AS "deletedAt"`;

/** Inserts an endpoint. */
export async function insertEndpoint(
  db: Queryable,
  e: { id: string; partnerId: string; url: string; description?: string | null; eventTypes: string[]; secret: string },
): Promise<WebhookEndpointRow> {
  const { rows } = await db.query<WebhookEndpointRow>(
    `INSERT INTO webhook_endpoints (id, partner_id, url, description, event_types, secret)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [e.id, e.partnerId, e.url, e.description ?? null, e.eventTypes, e.secret],
  );
  return rows[0]!;
}

/**
 * Inserts an endpoint unless the partner already has `max` endpoints or one with the same URL: one event must not
 * fan out to many copies of a (victim's) URL. The partner's row is locked so concurrent creates count each other.
 */
export async function insertEndpointWithinCap(
  pool: pg.Pool,
  e: Parameters<typeof insertEndpoint>[1],
  max: number,
): Promise<{ endpoint: WebhookEndpointRow } | { refused: 'limit' | 'duplicate' }> {
  return withTransaction(pool, async (tx) => {
    await tx.query('SELECT 1 FROM partners WHERE id = $1 FOR UPDATE', [e.partnerId]);
    const { rows } = await tx.query<{ n: number; same: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE url = $2)::int AS same
       FROM webhook_endpoints WHERE partner_id = $1 AND deleted_at IS NULL`,
      [e.partnerId, e.url],
    );
    if (rows[0]!.same > 0) return { refused: 'duplicate' as const };
    if (rows[0]!.n >= max) return { refused: 'limit' as const };
    return { endpoint: await insertEndpoint(tx, e) };
  });
}

/** A partner's endpoint, unless deleted or someone else's. */
export async function findEndpoint(
  db: Queryable,
  partnerId: string,
  id: string,
): Promise<WebhookEndpointRow | undefined> {
  const { rows } = await db.query<WebhookEndpointRow>(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1 AND partner_id = $2 AND deleted_at IS NULL`,
    [id, partnerId],
  );
  return rows[0];
}

/** Any endpoint by id, deleted ones included (workers). */
export async function getEndpoint(db: Queryable, id: string): Promise<WebhookEndpointRow | undefined> {
  const { rows } = await db.query<WebhookEndpointRow>(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1`, [id]);
  return rows[0];
}

/** A partner's endpoints, oldest first. */
export async function listEndpoints(db: Queryable, partnerId: string): Promise<WebhookEndpointRow[]> {
  const { rows } = await db.query<WebhookEndpointRow>(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE partner_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
    [partnerId],
  );
  return rows;
}

/**
 * The condition on `webhook_endpoints` that an endpoint is enabled and takes the event type (an empty filter means
 * all types); `partner` and `type` are the statement's parameters, e.g. '$1'.
 */
export function subscribedTo(partner: string, type: string): string {
  return `partner_id = ${partner} AND enabled AND deleted_at IS NULL
    AND (cardinality(event_types) = 0 OR ${type} = ANY (event_types))`;
}

/** Enabled endpoints of a partner that subscribe to an event type (an empty filter means all types). */
export async function listSubscribedEndpoints(
  db: Queryable,
  partnerId: string,
  eventType: string,
): Promise<WebhookEndpointRow[]> {
  const { rows } = await db.query<WebhookEndpointRow>(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE ${subscribedTo('$1', '$2')} ORDER BY created_at, id`,
    [partnerId, eventType],
  );
  return rows;
}

/** Enables (clearing the failure record) or disables an endpoint on the partner's request. */
export async function setEndpointEnabled(
  db: Queryable,
  partnerId: string,
  id: string,
  enabled: boolean,
): Promise<WebhookEndpointRow | undefined> {
  const { rows } = await db.query<WebhookEndpointRow>(
    `UPDATE webhook_endpoints
     SET enabled = $3, updated_at = now(), failing_since = NULL,
         disabled_reason = CASE WHEN $3 THEN NULL ELSE 'disabled by the partner' END,
         disabled_at = CASE WHEN $3 THEN NULL ELSE now() END
     WHERE id = $1 AND partner_id = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
    [id, partnerId, enabled],
  );
  return rows[0];
}

/** Deletes an endpoint softly: its deliveries stay readable. */
export async function deleteEndpoint(db: Queryable, partnerId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE webhook_endpoints SET deleted_at = now(), enabled = false, updated_at = now()
     WHERE id = $1 AND partner_id = $2 AND deleted_at IS NULL`,
    [id, partnerId],
  );
  return (rowCount ?? 0) > 0;
}

/** Replaces the secret; the old one keeps signing for `graceMs`. */
export async function rotateEndpointSecret(
  db: Queryable,
  partnerId: string,
  id: string,
  newSecret: string,
  graceMs: number,
): Promise<WebhookEndpointRow | undefined> {
  const { rows } = await db.query<WebhookEndpointRow>(
    `UPDATE webhook_endpoints
     SET previous_secret = secret, previous_secret_expires_at = now() + make_interval(secs => $4::double precision / 1000),
         secret = $3, updated_at = now()
     WHERE id = $1 AND partner_id = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
    [id, partnerId, newSecret, graceMs],
  );
  return rows[0];
}

/** Ends a rotation's grace period now: the previous secret is forgotten and only the current one signs. */
export async function endEndpointRotation(
  db: Queryable,
  partnerId: string,
  id: string,
): Promise<WebhookEndpointRow | undefined> {
  const { rows } = await db.query<WebhookEndpointRow>(
    `UPDATE webhook_endpoints SET previous_secret = NULL, previous_secret_expires_at = NULL, updated_at = now()
     WHERE id = $1 AND partner_id = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
    [id, partnerId],
  );
  return rows[0];
}

/** Records the outcome of an attempt on the endpoint's failure streak; returns the streak's start (null when healthy). */
export async function recordEndpointOutcome(db: Queryable, id: string, succeeded: boolean): Promise<Date | null> {
  const { rows } = await db.query<{ failingSince: Date | null }>(
    `UPDATE webhook_endpoints
     SET failing_since = CASE WHEN $2 THEN NULL ELSE COALESCE(failing_since, now()) END
     WHERE id = $1 RETURNING failing_since AS "failingSince"`,
    [id, succeeded],
  );
  return rows[0]?.failingSince ?? null;
}

/** Disables an enabled endpoint; returns it only when this call did the disabling (so the mail goes out once). */
export async function disableEndpoint(
  db: Queryable,
  id: string,
  reason: string,
): Promise<WebhookEndpointRow | undefined> {
  const { rows } = await db.query<WebhookEndpointRow>(
    `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now()
     WHERE id = $1 AND enabled RETURNING ${COLUMNS}`,
    [id, reason],
  );
  return rows[0];
}
