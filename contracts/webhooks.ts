/** Webhook contracts: the event types partners subscribe to and the delivery workflow's input and result. */

/** Event types partners can subscribe to, in documentation order. */
export const WebhookEventTypes = [
  'submission.completed',
  'submission.failed',
  'submission.cancelled',
  'submission.awaiting_approval',
  'billing.charge_succeeded',
  'billing.charge_failed',
] as const;

/** One event type. */
export type WebhookEventType = (typeof WebhookEventTypes)[number];

/** Version of the JSON body we send; bumped only for breaking changes of its shape. */
export const WEBHOOK_BODY_VERSION = '2026-11-01';

/** Lifecycle of one delivery (one event to one endpoint). */
export const WebhookDeliveryStatuses = ['pending', 'succeeded', 'exhausted', 'cancelled'] as const;

/** A delivery's status. */
export type WebhookDeliveryStatus = (typeof WebhookDeliveryStatuses)[number];

/** Input of the delivery workflow; the schedule travels with it because workflows cannot read config. */
export interface WebhookDeliveryInput {
  deliveryId: string;
  /** Delays before the 2nd, 3rd, ... attempt; the first attempt is immediate. */
  retryScheduleMs: number[];
  /** HTTP timeout of one attempt; the activity's own timeout is derived from it. */
  timeoutMs: number;
}

/** How one delivery workflow run ended. */
export interface WebhookDeliveryResult {
  deliveryId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
}

/** What one HTTP attempt tells the workflow. */
export interface WebhookAttemptResult {
  /** `succeeded`: 2xx; `failed`: try again on schedule; `stopped`: no more attempts (410, endpoint disabled or gone). */
  outcome: 'succeeded' | 'failed' | 'stopped';
  /** Delay the receiver asked for (429/503 Retry-After), already capped. */
  retryAfterMs?: number;
  /** Set when this attempt disabled the endpoint; the partner is told by email. */
  endpointDisabled?: { endpointId: string; reason: string };
}

/** The delivery workflow's signature, for typed starts without importing workflow code. */
export type WebhookDeliveryWorkflow = (input: WebhookDeliveryInput) => Promise<WebhookDeliveryResult>;
