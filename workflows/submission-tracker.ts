/**
 * Keeps a submission's status document inside its workflow: answers the status query, keeps the search
 * attributes and the run's current details current for operators, and stores each change in PostgreSQL so the
 * status survives the run (closed runs are answered without a worker).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  patched,
  setCurrentDetails,
  TimeoutFailure,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  getStatusQuery,
  InvoiceNumberKey,
  isFinalStatus,
  PartnerIdKey,
  SubmissionStatusKey,
  SubmissionTypeKey,
  type StepState,
  type SubmissionError,
  type SubmissionResult,
  type SubmissionState,
  type SubmissionStatus,
  type SubmissionType,
} from '../contracts';
import { PARTNER_FACING_TYPES, partnerMessage } from '../domain/partner-errors';
import { callbackActivity, localSubmissionActivity, submissionActivity } from './activity-options';

/** Tracks steps and status for one submission workflow; `Step` is the workflow's own list of step names. */
export class SubmissionTracker<Step extends string = string> {
  readonly state: SubmissionState;
  /** Operator notes shown in the run's current details (reminders sent, who decided, ...). */
  private readonly notes: string[] = [];

  /**
   * Runs from the `local-bookkeeping` patch on keep their own database bookkeeping (state records, events, and what
   * the workflow marks as such) in local activities; runs recorded before it replay with the remote ones they used.
   */
  readonly localBookkeeping: boolean;

  constructor(submissionId: string, type: SubmissionType, stepNames: readonly Step[], partnerId?: string) {
    this.localBookkeeping = patched('local-bookkeeping');
    this.state = {
      submissionId,
      type,
      status: 'received',
      steps: stepNames.map((name) => ({
        name,
        status: 'pending',
        attempts: 0,
        lastError: null,
        startedAt: null,
        finishedAt: null,
      })),
      result: null,
      error: null,
      updatedAt: new Date().toISOString(),
    };
    setHandler(getStatusQuery, () => this.state);
    // The starter sets these too; upserting keeps runs started by hand (Temporal UI, CLI) searchable.
    if (partnerId) {
      upsertSearchAttributes([
        { key: PartnerIdKey, value: partnerId },
        { key: SubmissionTypeKey, value: type },
      ]);
    }
  }

  /** Makes the run findable by an invoice number (ours for orders, the partner's for invoices). */
  setInvoiceNumber(invoiceNumber: string): void {
    upsertSearchAttributes([{ key: InvoiceNumberKey, value: invoiceNumber }]);
    this.note(`Invoice number: ${invoiceNumber}`);
  }

  /** Adds a line operators see in the run's current details. */
  note(line: string): void {
    this.notes.push(line);
    this.touch();
  }

  /** Runs one step, marking it running, then completed or failed. */
  async step<T>(name: Step, fn: () => Promise<T>): Promise<T> {
    const step = this.find(name);
    step.status = 'running';
    step.attempts += 1;
    step.startedAt = new Date().toISOString();
    this.touch();
    try {
      const value = await fn();
      step.status = 'completed';
      return value;
    } catch (err) {
      // A step stopped by a cancel did not fail: it simply will not happen.
      step.status = isCancellation(err) ? 'skipped' : 'failed';
      step.lastError = isCancellation(err) ? 'cancelled' : describeFailure(err).message;
      throw err;
    } finally {
      step.finishedAt = new Date().toISOString();
      this.touch();
    }
  }

  /** The run has passed its point of no return: a cancel is no longer honoured (the API answers 409). */
  markNotCancellable(): void {
    this.state.cancellable = false;
    this.touch();
  }

  /** Marks a step as not applicable to this submission. */
  skip(name: Step): void {
    this.find(name).status = 'skipped';
    this.touch();
  }

  /** Marks a completed step as undone by compensation. */
  compensated(name: Step): void {
    this.find(name).status = 'compensated';
    this.touch();
  }

  /** Merges into the result document. */
  addResult(result: SubmissionResult): void {
    this.state.result = { ...(this.state.result ?? {}), ...result };
    this.touch();
  }

  /** Moves to a new status and stores it; search attribute and details follow. */
  async setStatus(status: SubmissionStatus, error?: SubmissionError): Promise<void> {
    this.state.status = status;
    if (error) this.state.error = error;
    if (isFinalStatus(status)) {
      for (const s of this.state.steps) if (s.status === 'pending') s.status = 'skipped';
    }
    this.touch();
    upsertSearchAttributes([{ key: SubmissionStatusKey, value: status }]);
    await this.save();
  }

  /**
   * Stores the current state in PostgreSQL. When the stored submission is already final (a second run of a closed
   * submission), adopts that status and throws: the caller's catch sees `superseded` and stops without side effects.
   */
  async save(): Promise<void> {
    const stored = await this.bookkeeping.recordSubmissionState({ state: this.state });
    if (stored.alreadyFinal) {
      this.superseded = true;
      this.state.status = stored.alreadyFinal;
      throw ApplicationFailure.create({
        type: 'SubmissionAlreadyFinal',
        message: `submission ${this.state.submissionId} is already ${stored.alreadyFinal}`,
        nonRetryable: true,
      });
    }
  }

  /** The proxy for bookkeeping on our own database: local activities, or remote ones on the submissions queue. */
  get bookkeeping(): typeof submissionActivity {
    return this.localBookkeeping ? localSubmissionActivity : submissionActivity;
  }

  /** Records a partner event and starts its webhook deliveries (locally, or on the callbacks queue before the patch). */
  emitEvent(event: Parameters<typeof callbackActivity.emitEvent>[0]): ReturnType<typeof callbackActivity.emitEvent> {
    return (this.localBookkeeping ? localSubmissionActivity : callbackActivity).emitEvent(event);
  }

  /** True when this run found its submission already closed by an earlier run and must do nothing more. */
  superseded = false;

  /** True once the status can no longer change. */
  get finished(): boolean {
    return isFinalStatus(this.state.status);
  }

  private find(name: Step): StepState {
    const step = this.state.steps.find((s) => s.name === name);
    if (!step) throw new Error(`unknown step ${name}`);
    return step;
  }

  private touch(): void {
    this.state.updatedAt = new Date().toISOString();
    setCurrentDetails(this.details());
  }

  private details(): string {
    const lines = [`**${this.state.type} ${this.state.submissionId}:** ${this.state.status}`];
    for (const s of this.state.steps) lines.push(`- ${s.name}: ${s.status}${s.lastError ? ` (${s.lastError})` : ''}`);
    if (this.state.error) lines.push(`**Error:** ${this.state.error.code}: ${this.state.error.message}`);
    for (const note of this.notes) lines.push(`> ${note}`);
    return lines.join('\n');
  }
}

/**
 * Turns a workflow-side failure into the partner-facing error: a stable code, and a message only when it is about
 * the partner's data (domain/partner-errors.ts). The details stay in the run's history and the worker's log.
 */
export function describeFailure(err: unknown): SubmissionError {
  let cause: unknown = err;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  const type = cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (type !== undefined && PARTNER_FACING_TYPES.has(type)) return { code: type, message: detail };
  const code =
    type === 'InvalidRequest' ? 'ProviderRefused' : cause instanceof TimeoutFailure ? 'Timeout' : 'InternalError';
  return { code, message: partnerMessage(type, detail) };
}
