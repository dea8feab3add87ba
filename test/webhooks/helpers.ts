/** Shared steps of the webhook integration tests, all through the real API, activity code and database. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createCallbackActivities, type EventType } from '../../activities/callbacks';
import { webhookDeliveryWorkflowId } from '../../contracts';
import { newId } from '../../db/ids';
import { insertSubmission } from '../../db/submissions';
import { historyToFixture } from '../replay/history-json';
import { eventually, type TestStack } from '../support/stack';

/** A delivery as the API shows it. */
export interface DeliveryDoc {
  id: string;
  endpointId: string;
  status: string;
  attemptCount: number;
  payload: string;
  lastError: string | null;
  attempts: {
    attempt: number;
    startedAt: string;
    latencyMs: number;
    statusCode: number | null;
    error: string | null;
    succeeded: boolean;
  }[];
}

/** Registers an endpoint; returns its id and the secret shown once. */
export async function registerEndpoint(
  stack: TestStack,
  auth: Record<string, string>,
  url: string,
  eventTypes?: EventType[],
) {
  const res = await stack.app.inject({
    method: 'POST',
    url: '/v1/webhook-endpoints',
    headers: auth,
    payload: { url, eventTypes },
  });
  if (res.statusCode !== 201) throw new Error(`endpoint not created: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string; secret: string }>();
}

/**
 * An endpoint on a port registration refuses (it takes 80 and 443 only unless allow-listed), as a row stored before
 * that rule: what the send-time guard must still stop.
 */
export async function registerEndpointOnPort(stack: TestStack, auth: Record<string, string>, url: string) {
  const portless = new URL(url);
  portless.port = '';
  const created = await registerEndpoint(stack, auth, portless.href);
  await stack.pool.query('UPDATE webhook_endpoints SET url = $1 WHERE id = $2', [url, created.id]);
  return created;
}

/** A stored submission the event can point at (its own workflow is not needed to raise events). */
export async function newSubmission(stack: TestStack, partnerId: string): Promise<string> {
  const id = newId('sub');
  await insertSubmission(stack.pool, { id, partnerId, type: 'order', workflowId: `order-${id}`, payload: {} });
  return id;
}

/** Raises an event with the same activity the workflows call; `retryScheduleMs` overrides the configured one. */
export async function emit(
  stack: TestStack,
  partnerId: string,
  submissionId: string,
  eventType: EventType,
  retryScheduleMs?: number[],
) {
  const activities = createCallbackActivities({
    pool: stack.pool,
    publicBaseUrl: stack.config.api.publicBaseUrl,
    temporal: stack.env.client,
    webhooks: {
      timeoutMs: stack.config.webhooks.timeoutMs,
      retryScheduleMs: retryScheduleMs ?? stack.config.webhooks.retryScheduleMs,
    },
  });
  return activities.emitEvent({ partnerId, submissionId, eventType });
}

/** Emits `submission.completed` for a fresh submission of the partner: the usual start of a delivery test. */
export async function emitCompleted(stack: TestStack, partnerId: string, retryScheduleMs?: number[]) {
  return emit(stack, partnerId, await newSubmission(stack, partnerId), 'submission.completed', retryScheduleMs);
}

/** Reads a delivery with its attempts. */
export async function getDelivery(stack: TestStack, auth: Record<string, string>, id: string): Promise<DeliveryDoc> {
  const res = await stack.app.inject({ url: `/v1/webhook-deliveries/${id}`, headers: auth });
  if (res.statusCode !== 200) throw new Error(`delivery not readable: ${res.statusCode} ${res.body}`);
  return res.json<DeliveryDoc>();
}

/** Waits until a delivery reaches `status`. */
export async function deliveryReaches(
  stack: TestStack,
  auth: Record<string, string>,
  id: string,
  status: string,
  timeoutMs = 30_000,
) {
  return eventually(async () => {
    const d = await getDelivery(stack, auth, id);
    return d.status === status ? d : undefined;
  }, timeoutMs);
}

/**
 * Waits for the delivery's latest run to close and, when RECORD_HISTORIES names a folder, writes its history as a
 * replay fixture (the replay test runs every fixture in test/fixtures/histories).
 */
export async function finishAndRecord(stack: TestStack, deliveryId: string, name: string): Promise<void> {
  const handle = stack.env.client.workflow.getHandle(webhookDeliveryWorkflowId(deliveryId));
  await handle.result();
  const dir = process.env.RECORD_HISTORIES;
  if (!dir) return;
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${name}.json`), `${historyToFixture(await handle.fetchHistory())}\n`);
}
