/**
 * The status document of a submission. A running workflow is asked (query) and its pending activities add the
 * current attempt and last error; a closed one is answered from PostgreSQL or, failing that, from the run's
 * result in Temporal's history, so no worker is needed.
 */
import type { Client } from '@temporalio/client';
import { isTemporalUnavailable } from '../adapters/temporal/unavailable';
import { WorkflowNotFoundError } from '@temporalio/client';
import type pg from 'pg';
import { getStatusQuery, isFinalStatus, type StatusDocument, type SubmissionState } from '../contracts';
import type { SubmissionRow } from '../db/submissions';
import { listAttempts, type ActivityAttempt } from '../db/activity-attempts';
import { partnerMessage } from '../domain/partner-errors';
import { deliverySummaries } from './webhooks/delivery-summaries';

const QUERY_TIMEOUT_MS = 5_000;

/** Builds the status document of a stored submission. */
export async function statusDocument(
  deps: { pool: pg.Pool; temporal: Client },
  row: SubmissionRow,
): Promise<StatusDocument> {
  let state = row.state;
  if (!state || !isFinalStatus(state.status)) state = (await liveState(deps.temporal, row)) ?? state;
  const links: Record<string, string> = { self: `/v1/submissions/${row.id}` };
  if (!state || (!isFinalStatus(state.status) && state.cancellable !== false))
    links.cancel = `/v1/submissions/${row.id}/cancel`;
  if (state?.result?.documentUrl) links.invoice = state.result.documentUrl;
  return {
    id: row.id,
    type: row.type,
    status: state?.status ?? row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: state?.updatedAt ?? row.updatedAt.toISOString(),
    steps: withRecordedAttempts(state?.steps ?? [], await listAttempts(deps.pool, row.id)),
    result: state?.result ?? null,
    error: state?.error ?? null,
    links,
    deliveries: await deliverySummaries(deps.pool, row.partnerId, row.id),
  };
}

async function liveState(temporal: Client, row: SubmissionRow): Promise<SubmissionState | undefined> {
  const handle = temporal.workflow.getHandle(row.workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    // Not found, or Temporal out of reach (down, restarting): the stored state is the best answer.
    if (err instanceof WorkflowNotFoundError || isTemporalUnavailable(err)) return undefined;
    throw err;
  }
  if (description.status.name !== 'RUNNING') {
    // Closed: the result is in the history; a failed or terminated run falls back to the stored state.
    return (await handle.result().catch(() => undefined)) as SubmissionState | undefined;
  }
  let state: SubmissionState | undefined;
  try {
    state = await withTimeout(handle.query(getStatusQuery), QUERY_TIMEOUT_MS);
  } catch {
    // No worker for the submissions queue right now: the stored state is the best answer.
    return undefined;
  }
  for (const pending of description.raw.pendingActivities ?? []) {
    const running = state.steps.find((s) => s.status === 'running');
    if (!running) break;
    running.attempts = Math.max(running.attempts, pending.attempt ?? 1);
    const failure = pending.lastFailure;
    if (failure?.message)
      running.lastError = partnerMessage(failure.applicationFailureInfo?.type ?? undefined, failure.message);
  }
  return state;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Adds what the worker recorded of each activity attempt to the steps: an attempt belongs to the step that was
 * running when its activity was scheduled (steps run one after another; both times come from Temporal's clock).
 */
export function withRecordedAttempts(
  steps: SubmissionState['steps'],
  attempts: ActivityAttempt[],
): SubmissionState['steps'] {
  return steps.map((step, i) => {
    if (!step.startedAt) return step;
    const from = Date.parse(step.startedAt);
    const until = windowEnd(steps, i, from);
    const mine = attempts.filter(
      (a) => a.scheduledAt && a.scheduledAt.getTime() >= from && a.scheduledAt.getTime() < until,
    );
    if (mine.length === 0) return step;
    const failed = mine
      .filter((a) => a.outcome === 'failed')
      .sort((a, b) => (a.finishedAt?.getTime() ?? 0) - (b.finishedAt?.getTime() ?? 0));
    return {
      ...step,
      attempts: Math.max(step.attempts, ...mine.map((a) => a.attempt)),
      lastError: failed.length ? failed[failed.length - 1]!.error : step.lastError,
    };
  });
}

/**
 * Where a step's window ends: when it finished; but when the workflow's clock did not move across the step, the next
 * step's start. A worker that takes over a run after another was killed replays it and can be handed the result of
 * the step's activity without a newer time, so the step finishes at the instant it started (seen once in the cluster
 * test: a charge retried for 14 s finished at its own start), and its attempts would belong to no step.
 */
function windowEnd(steps: SubmissionState['steps'], i: number, from: number): number {
  const finishedAt = steps[i]!.finishedAt;
  if (!finishedAt) return Infinity;
  const finished = Date.parse(finishedAt);
  if (finished > from) return finished;
  // The next step that started, even at the same instant: then this step's window is empty, as its times say.
  const next = steps.slice(i + 1).find((s) => s.startedAt);
  return next ? Date.parse(next.startedAt!) : Infinity;
}
