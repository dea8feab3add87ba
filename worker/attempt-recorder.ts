/**
 * An activity interceptor that records each attempt's outcome per submission and activity in PostgreSQL, so the
 * status document shows real attempt counts and last errors, also after the run has closed. Recording is best
 * effort: a database hiccup never fails the activity itself.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type pg from 'pg';
import { recordAttemptEnd, recordAttemptStart } from '../db/activity-attempts';

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
        const key = { submissionId, activityType, attempt };
        const warn = (err: unknown) => ctx.log.warn('could not record the activity attempt', { err: String(err) });
        await recordAttemptStart(pool, {
          ...key,
          scheduledAt: scheduledTimestampMs ? new Date(scheduledTimestampMs) : null,
        }).catch(warn);
        try {
          const result = await next(input);
          await recordAttemptEnd(pool, { ...key, error: null }).catch(warn);
          return result;
        } catch (err) {
          await recordAttemptEnd(pool, { ...key, error: err instanceof Error ? err.message : String(err) }).catch(warn);
          throw err;
        }
      },
    },
  });
}
