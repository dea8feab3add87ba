/**
 * Shapes of the order workflow for the bench's bare runs: the same sequence of activities, task queues and
 * search-attribute upserts as the service's order workflow, described as data so one bare workflow runs any of them.
 * Queue names are the service's queue keys; the bare run prefixes them so it never meets the service's workers.
 */

/** One step of a shape. */
export type ShapeStep =
  | { kind: 'activity'; queue: BareQueue; local?: boolean }
  | { kind: 'parallel'; queue: BareQueue; count: number; local?: boolean }
  | { kind: 'upsert'; key: 'PartnerId' | 'SubmissionType' | 'SubmissionStatus' | 'InvoiceNumber' }
  /** A `patched()` call: on a new run, a marker and an upsert of the `TemporalChangeVersion` search attribute. */
  | { kind: 'patch'; id: string }
  | { kind: 'timer'; ms: number };

/** The service's task queues by their contract keys. */
export type BareQueue = 'submissions' | 'billing' | 'invoices' | 'notifications' | 'callbacks';

/**
 * The order workflow as it was before the throughput work (ten activities on five queues): state record, validate,
 * persist, charge, charge event, invoice, two mails in parallel, completion event, state record.
 */
export const ORDER_SHAPE_V1: ShapeStep[] = [
  { kind: 'upsert', key: 'PartnerId' },
  { kind: 'upsert', key: 'SubmissionStatus' },
  { kind: 'activity', queue: 'submissions' },
  { kind: 'activity', queue: 'submissions' },
  { kind: 'activity', queue: 'submissions' },
  { kind: 'activity', queue: 'billing' },
  { kind: 'activity', queue: 'callbacks' },
  { kind: 'activity', queue: 'invoices' },
  { kind: 'upsert', key: 'InvoiceNumber' },
  { kind: 'parallel', queue: 'notifications', count: 2 },
  { kind: 'activity', queue: 'callbacks' },
  { kind: 'upsert', key: 'SubmissionStatus' },
  { kind: 'activity', queue: 'submissions' },
];

/** The floor of any work at all: one activity. */
export const ONE_ACTIVITY_SHAPE: ShapeStep[] = [{ kind: 'activity', queue: 'submissions' }];

/**
 * The order workflow from the `local-bookkeeping` patch on: the same steps, but everything on our own database runs
 * as local activities on the workflow's worker; only the charge and the two mails cross a task queue. Its two
 * `patched()` calls are part of the shape: each adds a marker and a search-attribute upsert to every new run.
 */
export const ORDER_SHAPE_V2: ShapeStep[] = [
  { kind: 'patch', id: 'local-bookkeeping' },
  { kind: 'upsert', key: 'PartnerId' },
  { kind: 'upsert', key: 'SubmissionStatus' },
  { kind: 'activity', queue: 'submissions', local: true },
  { kind: 'activity', queue: 'submissions', local: true },
  { kind: 'activity', queue: 'submissions', local: true },
  { kind: 'patch', id: 'order-charge-survives-cancel' },
  { kind: 'activity', queue: 'billing' },
  { kind: 'activity', queue: 'submissions', local: true },
  { kind: 'activity', queue: 'submissions', local: true },
  { kind: 'upsert', key: 'InvoiceNumber' },
  { kind: 'parallel', queue: 'notifications', count: 2 },
  { kind: 'activity', queue: 'submissions', local: true },
  { kind: 'upsert', key: 'SubmissionStatus' },
  { kind: 'activity', queue: 'submissions', local: true },
];

/** The order workflow's shape today (the bench's "own shape"); kept in step with workflows/order.ts. */
export const ORDER_SHAPE_CURRENT: ShapeStep[] = ORDER_SHAPE_V2;
