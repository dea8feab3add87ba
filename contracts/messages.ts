/** Signals, queries and updates shared by the workflows, the API and the CLI. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SubmissionState } from './submission';

/** The submission's status document. */
export const getStatusQuery = defineQuery<SubmissionState>('getStatus');

/** Asks a running submission to stop; work already done is compensated. */
export const cancelSignal = defineSignal<[CancelRequest]>('cancel');

/** An approver's decision on an invoice waiting for approval (fire and forget: from the Temporal UI). */
export const decisionSignal = defineSignal<[ApprovalDecision]>('decision');

/** The same decision, validated and answered synchronously (admin API and CLI). */
export const decideUpdate = defineUpdate<ApprovalOutcome, [ApprovalDecision]>('decide');

/** Body of the cancel signal. */
export interface CancelRequest {
  reason: string;
  requestedBy: string;
}

/** Who may be named as approver (after trimming): letters, digits, spaces and ._@'-, 1-100 characters. */
export const APPROVER_PATTERN = "^[\\p{L}\\p{N}][\\p{L}\\p{N} ._@'-]{0,99}$";

/** Body of the approval signal and update. */
export interface ApprovalDecision {
  decision: 'approve' | 'reject';
  approver: string;
  comment?: string;
}

/** What the decide update answers. */
export interface ApprovalOutcome {
  accepted: boolean;
  status: SubmissionState['status'];
}
