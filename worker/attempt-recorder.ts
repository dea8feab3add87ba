/**
 * An activity interceptor that records, per submission and activity, what the workflow's own step state cannot
 * tell: attempts that failed, and the attempt number of a success after retries. A first attempt that succeeds (by
 * far the common case) writes nothing: the step's own count of 1 is already right. The status document of a closed
 * run reads these rows; a running run's current attempt comes from Temporal (pending activities). Recording is best
 * effort: a database hiccup never fails the activity itself.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import type pg from 'pg';
import { partnerMessage } from '../domain/partner-errors';
import { recordAttempt } from '../db/activity-attempts';

// Submission workflows have ids like `order-sub_...` / `invoice-sub_...`.
const SUBMISSION_WORKFLOW = /^(?:order|invoice)-(sub_[0-9a-z]{26})$/;
// Bookkeeping that is not a step of its own.
const IGNORED = new Set(['recordSubmissionState']);

/** The interceptor factory for `Worker.create({ interceptors: { activity: [...] } })`. */
export function attemptRecorder(pool: pg.Pool): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const { workflowExecution, activityType, attempt, scheduledTimestampMs } = ctx.info;
        const submissionId = SUBMISSION_WORKFLOW.exec(workflowExecution?.workflowId ?? '')?.[1];
        if (!submissionId || IGNORED.has(activityType)) return next(input);
        const record = (error: string | null): Promise<void> =>
          recordAttempt(pool, {
            submissionId,
            activityType,
            attempt,
            scheduledAt: scheduledTimestampMs ? new Date(scheduledTimestampMs) : null,
            error,
          }).catch((err: unknown) => ctx.log.warn('could not record the activity attempt', { err: String(err) }));
        try {
          const result = await next(input);
          if (attempt > 1) await record(null);
          return result;
        } catch (err) {
          // Partners read this in the status document: only failures about their own data keep their text.
          const type = err instanceof ApplicationFailure ? (err.type ?? undefined) : undefined;
          await record(partnerMessage(type, err instanceof Error ? err.message : String(err)));
          throw err;
        }
      },
    },
  });
}
