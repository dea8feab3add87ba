/**
 * Starting delivery workflows. The workflow id is the delivery's business key, so the first run is started exactly
 * once (a retried emitEvent finds it), and a redelivery is a new run under the same id once the last one closed.
 */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type pg from 'pg';
import {
  PartnerIdKey,
  SubmissionTypeKey,
  TaskQueues,
  webhookDeliveryWorkflowId,
  type WebhookDeliveryInput,
  type WebhookDeliveryStatus,
  type WebhookDeliveryWorkflow,
} from '../../contracts';
import { setDeliveryStatus, type WebhookDeliveryRow } from '../../db/webhook-deliveries';

/** The webhook settings a delivery run needs. */
export interface DeliveryRunSettings {
  retryScheduleMs: number[];
  timeoutMs: number;
}

/** Starts the first run of a delivery; a second call for the same delivery is a no-op. */
export async function startFirstDeliveryRun(
  client: Client,
  delivery: DeliveryKey,
  settings: DeliveryRunSettings,
): Promise<void> {
  try {
    await start(client, delivery, settings, 'REJECT_DUPLICATE');
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** Why a redelivery could not start. */
export class RedeliveryConflictError extends Error {
  override name = 'RedeliveryConflictError';
}

/** Starts a new run of a finished delivery: same webhook-id, a fresh schedule. */
export async function redeliver(
  deps: { pool: pg.Pool; temporal: Client },
  delivery: WebhookDeliveryRow,
  settings: DeliveryRunSettings,
): Promise<void> {
  const previous: WebhookDeliveryStatus = delivery.status;
  if (previous === 'pending') throw new RedeliveryConflictError(`delivery ${delivery.id} is still being delivered`);
  // Claim it first so two concurrent redeliveries cannot both start a run.
  if (!(await setDeliveryStatus(deps.pool, delivery.id, 'pending', [previous]))) {
    throw new RedeliveryConflictError(`delivery ${delivery.id} changed meanwhile; read it again`);
  }
  try {
    await start(deps.temporal, delivery, settings, 'ALLOW_DUPLICATE');
  } catch (err) {
    await setDeliveryStatus(deps.pool, delivery.id, previous, ['pending']);
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new RedeliveryConflictError(`delivery ${delivery.id} is still being delivered`);
    }
    throw err;
  }
}

/** What identifies a delivery run: its id (the workflow id and webhook-id) and its partner (for operators). */
type DeliveryKey = Pick<WebhookDeliveryRow, 'id' | 'partnerId'>;

async function start(
  client: Client,
  delivery: DeliveryKey,
  settings: DeliveryRunSettings,
  policy: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE',
): Promise<void> {
  const input: WebhookDeliveryInput = {
    deliveryId: delivery.id,
    retryScheduleMs: settings.retryScheduleMs,
    timeoutMs: settings.timeoutMs,
  };
  await client.workflow.start<WebhookDeliveryWorkflow>('webhookDeliveryWorkflow', {
    taskQueue: TaskQueues.callbacks,
    workflowId: webhookDeliveryWorkflowId(delivery.id),
    workflowIdReusePolicy: policy,
    // Operators find a partner's deliveries in the Temporal UI next to its submissions.
    typedSearchAttributes: [
      { key: PartnerIdKey, value: delivery.partnerId },
      { key: SubmissionTypeKey, value: 'webhook-delivery' },
    ],
    args: [input],
  });
}
