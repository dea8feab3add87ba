/** The `webhook_deliveries` and `webhook_attempts` tables: one delivery per (event, endpoint), every HTTP try. */
import type { WebhookDeliveryStatus } from '../contracts';
import type { Queryable } from './pool';

/** A delivery as stored. */
export interface WebhookDeliveryRow {
  id: string;
  partnerId: string;
  endpointId: string;
  eventId: string;
  submissionId: string | null;
  eventType: string;
  payload: string;
  status: WebhookDeliveryStatus;
  attemptCount: number;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One HTTP attempt. */
export interface WebhookAttemptRow {
  attempt: number;
  startedAt: Date;
  latencyMs: number;
  statusCode: number | null;
  error: string | null;
  succeeded: boolean;
}

const COLUMNS = `id, partner_id AS "partnerId", endpoint_id AS "endpointId", event_id AS "eventId",
  submission_id AS "submissionId", event_type AS "eventType", payload, status, attempt_count AS "attemptCount",
  last_attempt_at AS "lastAttemptAt", last_status_code AS "lastStatusCode", last_error AS "lastError",
  delivered_at AS "deliveredAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

const ATTEMPT_COLUMNS = `attempt, started_at AS "startedAt", latency_ms AS "latencyMs", status_code AS "statusCode",
  error, succeeded`;

/** Inserts the delivery of an event to an endpoint once; a retried call gets the first one back. */
export async function insertDeliveryOnce(
  db: Queryable,
  d: Pick<WebhookDeliveryRow, 'id' | 'partnerId' | 'endpointId' | 'eventId' | 'submissionId' | 'eventType' | 'payload'>,
): Promise<WebhookDeliveryRow> {
  const inserted = await db.query<WebhookDeliveryRow>(
    `INSERT INTO webhook_deliveries (id, partner_id, endpoint_id, event_id, submission_id, event_type, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id, endpoint_id) DO NOTHING RETURNING ${COLUMNS}`,
    [d.id, d.partnerId, d.endpointId, d.eventId, d.submissionId, d.eventType, d.payload],
  );
  if (inserted.rows[0]) return inserted.rows[0];
  const { rows } = await db.query<WebhookDeliveryRow>(
    `SELECT ${COLUMNS} FROM webhook_deliveries WHERE event_id = $1 AND endpoint_id = $2`,
    [d.eventId, d.endpointId],
  );
  return rows[0]!;
}

/** Any delivery by id (workers). */
export async function getDelivery(db: Queryable, id: string): Promise<WebhookDeliveryRow | undefined> {
  const { rows } = await db.query<WebhookDeliveryRow>(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1`, [id]);
  return rows[0];
}

/** A partner's delivery; undefined when it belongs to someone else. */
export async function findDelivery(
  db: Queryable,
  partnerId: string,
  id: string,
): Promise<WebhookDeliveryRow | undefined> {
  const { rows } = await db.query<WebhookDeliveryRow>(
    `SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1 AND partner_id = $2`,
    [id, partnerId],
  );
  return rows[0];
}

/** Filters for listing a partner's deliveries. */
export interface ListDeliveriesQuery {
  partnerId: string;
  submissionId?: string;
  endpointId?: string;
  status?: WebhookDeliveryStatus;
  limit: number;
}

/** A partner's deliveries, newest first. */
export async function listDeliveries(db: Queryable, q: ListDeliveriesQuery): Promise<WebhookDeliveryRow[]> {
  const { rows } = await db.query<WebhookDeliveryRow>(
    `SELECT ${COLUMNS} FROM webhook_deliveries
     WHERE partner_id = $1 AND ($2::text IS NULL OR submission_id = $2) AND ($3::text IS NULL OR endpoint_id = $3)
       AND ($4::text IS NULL OR status = $4)
     ORDER BY created_at DESC, id DESC LIMIT $5`,
    [q.partnerId, q.submissionId ?? null, q.endpointId ?? null, q.status ?? null, q.limit],
  );
  return rows;
}

/**
 * The oldest `limit` deliveries of an endpoint that did not get through (exhausted or cancelled) since `since`, after
 * the delivery `after` of that endpoint when one is named (in the same order: created, then id).
 */
export async function listUndelivered(
  db: Queryable,
  endpointId: string,
  since: Date,
  limit: number,
  after?: string,
): Promise<WebhookDeliveryRow[]> {
  const { rows } = await db.query<WebhookDeliveryRow>(
    `SELECT ${COLUMNS} FROM webhook_deliveries
     WHERE endpoint_id = $1 AND status IN ('exhausted', 'cancelled') AND created_at >= $2
       AND ($4::text IS NULL OR (created_at, id) > (
             SELECT a.created_at, a.id FROM webhook_deliveries a WHERE a.id = $4 AND a.endpoint_id = $1))
     ORDER BY created_at, id
     LIMIT $3`,
    [endpointId, since, limit, after ?? null],
  );
  return rows;
}

export async function recordAttempt(
  db: Queryable,
  a: {
    deliveryId: string;
    startedAt: Date;
    latencyMs: number;
    statusCode: number | null;
    error: string | null;
    succeeded: boolean;
  },
): Promise<number> {
  const { rows } = await db.query<{ attempt: number }>(
    `WITH d AS (
       UPDATE webhook_deliveries
       SET attempt_count = attempt_count + 1, last_attempt_at = $2, last_status_code = $4, last_error = $5,
           status = CASE WHEN $6 THEN 'succeeded' ELSE status END,
           delivered_at = CASE WHEN $6 THEN now() ELSE delivered_at END, updated_at = now()
       WHERE id = $1 RETURNING attempt_count)
     INSERT INTO webhook_attempts (delivery_id, attempt, started_at, latency_ms, status_code, error, succeeded)
     SELECT $1, attempt_count, $2, $3, $4, $5, $6 FROM d RETURNING attempt`,
    [a.deliveryId, a.startedAt, Math.round(a.latencyMs), a.statusCode, a.error, a.succeeded],
  );
  if (!rows[0]) throw new Error(`delivery ${a.deliveryId} does not exist`);
  return rows[0].attempt;
}

/** Moves a delivery to `status` if it is in one of `from`; returns whether it moved. */
export async function setDeliveryStatus(
  db: Queryable,
  id: string,
  status: WebhookDeliveryStatus,
  from: WebhookDeliveryStatus[],
  lastError?: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE webhook_deliveries SET status = $2, last_error = COALESCE($4, last_error), updated_at = now()
     WHERE id = $1 AND status = ANY ($3)`,
    [id, status, from, lastError ?? null],
  );
  return (rowCount ?? 0) > 0;
}

/** The attempts of a delivery, in order. */
export async function listAttempts(db: Queryable, deliveryId: string): Promise<WebhookAttemptRow[]> {
  const { rows } = await db.query<WebhookAttemptRow>(
    `SELECT ${ATTEMPT_COLUMNS} FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt`,
    [deliveryId],
  );
  return rows;
}
