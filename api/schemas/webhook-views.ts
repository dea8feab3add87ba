/** Turns stored webhook rows into the shapes the API answers with (dates as ISO strings, links, no secrets). */
import type { WebhookAttemptRow, WebhookDeliveryRow } from '../../db/webhook-deliveries';
import type { WebhookEndpointRow } from '../../db/webhook-endpoints';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** An endpoint without its secrets. */
export function endpointView(e: WebhookEndpointRow, now = new Date()) {
  const graceOpen = e.previousSecret && e.previousSecretExpiresAt && e.previousSecretExpiresAt > now;
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    disabledAt: iso(e.disabledAt),
    failingSince: iso(e.failingSince),
    previousSecretValidUntil: graceOpen ? iso(e.previousSecretExpiresAt) : null,
    createdAt: e.createdAt.toISOString(),
    links: {
      self: `/v1/webhook-endpoints/${e.id}`,
      deliveries: `/v1/webhook-deliveries?endpointId=${e.id}`,
      rotateSecret: `/v1/webhook-endpoints/${e.id}/rotate-secret`,
      ...(graceOpen ? { endRotation: `/v1/webhook-endpoints/${e.id}/end-rotation` } : {}),
    },
  };
}

/** A delivery summary. */
export function deliveryView(d: WebhookDeliveryRow) {
  return {
    id: d.id,
    endpointId: d.endpointId,
    submissionId: d.submissionId,
    eventType: d.eventType,
    status: d.status,
    attemptCount: d.attemptCount,
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    deliveredAt: iso(d.deliveredAt),
    createdAt: d.createdAt.toISOString(),
    links: { self: `/v1/webhook-deliveries/${d.id}`, redeliver: `/v1/webhook-deliveries/${d.id}/redeliver` },
  };
}

/** A delivery with its body and attempts. */
export function deliveryDetailView(d: WebhookDeliveryRow, attempts: WebhookAttemptRow[]) {
  return {
    ...deliveryView(d),
    payload: d.payload,
    attempts: attempts.map((a) => ({ ...a, startedAt: a.startedAt.toISOString() })),
  };
}
