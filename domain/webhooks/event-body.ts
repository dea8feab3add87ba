/** The thin, versioned JSON body partners receive: what happened and where to read the details. */
import { WEBHOOK_BODY_VERSION, type WebhookEventType } from '../../contracts';

/** The body of every webhook. */
export interface WebhookEventBody {
  type: WebhookEventType;
  timestamp: string;
  data: { submissionId: string; status: string; links: { status: string } };
  version: string;
}

/** Builds the body of one event; serialised once and sent byte-identical on every attempt. */
export function eventBody(e: {
  type: WebhookEventType;
  occurredAt: Date;
  submissionId: string;
  status: string;
  publicBaseUrl: string;
}): WebhookEventBody {
  return {
    type: e.type,
    timestamp: e.occurredAt.toISOString(),
    data: {
      submissionId: e.submissionId,
      status: e.status,
      links: { status: `${e.publicBaseUrl}/v1/submissions/${e.submissionId}` },
    },
    version: WEBHOOK_BODY_VERSION,
  };
}

/** True when an event type names its own status; the others (billing events) need the submission's current one. */
export function eventNamesStatus(type: WebhookEventType): boolean {
  return type.startsWith('submission.');
}

/** The submission status an event type implies; billing events report the submission's current status. */
export function statusOfEvent(type: WebhookEventType, currentStatus: string): string {
  return eventNamesStatus(type) ? type.slice('submission.'.length) : currentStatus;
}
