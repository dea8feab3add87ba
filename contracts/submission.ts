/** Submission statuses, steps and the status document every workflow keeps. */

/** What a partner can submit. */
export type SubmissionType = 'order' | 'invoice' | 'credit_note';

/** Every status a submission can have; the last three are final. */
export const SubmissionStatuses = [
  'received',
  'processing',
  'awaiting_approval',
  'completed',
  'failed',
  'cancelled',
] as const;

/** Status of a submission. */
export type SubmissionStatus = (typeof SubmissionStatuses)[number];

/** True once a submission can no longer change. */
export function isFinalStatus(status: SubmissionStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** Status of one step of a workflow. */
export const StepStatuses = ['pending', 'running', 'completed', 'failed', 'compensated', 'skipped'] as const;

/** Status of one step. */
export type StepStatus = (typeof StepStatuses)[number];

/** One step of a submission's workflow as the partner sees it. */
export interface StepState {
  name: string;
  status: StepStatus;
  attempts: number;
  lastError: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Why a submission failed, without internals. */
export interface SubmissionError {
  code: string;
  message: string;
}

/** What a finished submission produced. */
export interface SubmissionResult {
  invoiceNumber?: string;
  currency?: string;
  totalMinor?: number;
  chargeId?: string;
  refunded?: boolean;
  approval?: { decision: 'approved' | 'rejected'; by: string; at: string; comment?: string };
  documentUrl?: string;
}

/** The state a workflow keeps, answers queries with and stores when it closes. */
export interface SubmissionState {
  submissionId: string;
  type: SubmissionType;
  status: SubmissionStatus;
  steps: StepState[];
  result: SubmissionResult | null;
  error: SubmissionError | null;
  updatedAt: string;
  /** False once the run has passed the point where a cancel can still stop it (absent in older runs: true). */
  cancellable?: boolean;
}
