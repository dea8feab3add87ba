/** Task queues: one worker per queue, each can run alone. */
export const TaskQueues = {
  /** Order and invoice workflows and their light bookkeeping activities. */
  submissions: 'submissions',
  /** Charges and refunds through the payment provider. */
  billing: 'billing',
  /** Invoice numbering, documents, ledger and payouts. */
  invoices: 'invoice-processing',
  /** Email. */
  notifications: 'notifications',
  /** Webhook callbacks to partners. */
  callbacks: 'callbacks',
} as const;

/** Name of one of our task queues. */
export type TaskQueue = (typeof TaskQueues)[keyof typeof TaskQueues];
