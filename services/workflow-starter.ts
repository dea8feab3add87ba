/**
 * Starts the workflows of stored submissions that have none yet, with bounded concurrency. The batch route runs
 * it in the background right after accepting; the sweeper runs it periodically, so a crash between storing and
 * starting loses nothing (starting is idempotent by workflow id).
 */
import { findPartner, type Partner } from '../db/partners';
import { claimUnstarted, markWorkflowsStarted, releaseClaims, type StartableSubmission } from '../db/submission-intake';

/** How long a starter holds the rows it claimed: far longer than starting a chunk takes. */
const CLAIM_MS = 5 * 60_000;
import { startSubmissionWorkflow, type IntakeDeps } from './submissions';

/** Which unstarted submissions to start. */
export interface StartOptions {
  batchId?: string;
  /** Only this partner's (operators and tests). */
  partnerId?: string;
  /** Only rows stored at least this long ago (the sweeper leaves fresh rows to the request that stored them). */
  olderThanMs?: number;
  concurrency: number;
  chunk?: number;
  /** Stops between starts when aborted (shutdown); what is left is the sweeper's. */
  signal?: AbortSignal;
}

/** Starts every matching unstarted workflow; returns how many it started. Stops at the first Temporal error. */
export async function startPendingWorkflows(deps: IntakeDeps, options: StartOptions): Promise<number> {
  const partners = new Map<string, Partner | undefined>();
  let started = 0;
  for (;;) {
    // Claimed (FOR UPDATE SKIP LOCKED, then a lease) so two starters never start the same rows; a starter that dies
    // leaves its claim to run out and the rows to the next sweep.
    const rows = await claimUnstarted(deps.pool, {
      limit: options.chunk ?? 500,
      batchId: options.batchId,
      partnerId: options.partnerId,
      olderThanMs: options.olderThanMs,
      claimMs: CLAIM_MS,
    });
    if (rows.length === 0) return started;
    if (options.signal?.aborted) {
      await releaseClaims(
        deps.pool,
        rows.map((r) => r.id),
      );
      return started;
    }
    for (const r of rows)
      if (!partners.has(r.partnerId)) partners.set(r.partnerId, await findPartner(deps.pool, r.partnerId));
    const done = await startAll(deps, rows, partners, options);
    await markWorkflowsStarted(deps.pool, done.ids);
    const startedIds = new Set(done.ids);
    await releaseClaims(
      deps.pool,
      rows.filter((r) => !startedIds.has(r.id)).map((r) => r.id),
    );
    started += done.ids.length;
    if (done.error) throw done.error;
  }
}

async function startAll(
  deps: IntakeDeps,
  rows: StartableSubmission[],
  partners: Map<string, Partner | undefined>,
  { concurrency, signal }: StartOptions,
): Promise<{ ids: string[]; error?: unknown }> {
  const ids: string[] = [];
  let next = 0;
  let error: unknown;
  async function lane(): Promise<void> {
    while (next < rows.length && error === undefined && !signal?.aborted) {
      const row = rows[next++]!;
      try {
        await startSubmissionWorkflow(deps, row, partners.get(row.partnerId));
        ids.push(row.id);
      } catch (err) {
        error = err;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
  return { ids, error };
}
