/**
 * Workflow ids are business keys: stable, derived from our own identifiers, free of personal data.
 * Starting a workflow twice with the same id is refused by Temporal, which backs our exactly-once intake.
 */
import type { SubmissionType } from './submission';

const SAFE = /^[A-Za-z0-9_.-]+$/;

function part(name: string, value: string): string {
  if (!SAFE.test(value)) throw new Error(`${name} "${value}" may only contain letters, digits, "_", "." and "-"`);
  return value;
}

/** Workflow id of the submission with this id. */
export function submissionWorkflowId(type: SubmissionType, submissionId: string): string {
  return `${type}-${part('submissionId', submissionId)}`;
}

/** Workflow id of one webhook delivery (one event to one endpoint). */
export function webhookDeliveryWorkflowId(deliveryId: string): string {
  return `webhook-delivery-${part('deliveryId', deliveryId)}`;
}

/** Workflow id of the billing run for one day (YYYY-MM-DD). */
export function billingRunWorkflowId(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`billing date "${date}" must be YYYY-MM-DD`);
  return `billing-run-${date}`;
}

/** Workflow id of the charge of one subscription for one billing period (YYYY-MM or YYYY-MM-DD). */
export function subscriptionChargeWorkflowId(subscriptionId: string, period: string): string {
  return `subscription-charge-${part('subscriptionId', subscriptionId)}-${part('period', period)}`;
}
