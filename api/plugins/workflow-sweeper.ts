/**
 * The durable half of "accepted means started": every interval, start the workflows of submissions stored a while
 * ago that still have none (a crash or a Temporal outage between storing and starting), and forget expired
 * Idempotency-Keys. Also exposes `app.startWorkflowsInBackground(batchId)` for the batch route.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { deleteExpiredIdempotencyKeys } from '../../db/idempotency-keys';
import { startPendingWorkflows } from '../../services/workflow-starter';

declare module 'fastify' {
  interface FastifyInstance {
    /** Starts a batch's workflows after the response; failures are left to the sweeper. */
    startWorkflowsInBackground(batchId: string): void;
  }
}

async function workflowSweeperPlugin(app: FastifyInstance): Promise<void> {
  const { startConcurrency, sweepIntervalMs, sweepAfterMs, idempotencyTtlMs } = app.config.intake;
  const running = new Set<Promise<unknown>>();
  let closing = false;
  const stopping = new AbortController();

  function track(work: Promise<unknown>, what: string): void {
    const p = work
      .catch((err: unknown) => app.log.warn({ err }, `${what} failed; the sweeper will retry`))
      .finally(() => running.delete(p));
    running.add(p);
  }

  app.decorate('startWorkflowsInBackground', (batchId: string) => {
    if (closing) return;
    track(
      startPendingWorkflows(app, { batchId, concurrency: startConcurrency, signal: stopping.signal }),
      `starting the workflows of batch ${batchId}`,
    );
  });

  let sweeping = false;
  function sweep(): void {
    if (sweeping || closing) return;
    sweeping = true;
    const work = Promise.all([
      startPendingWorkflows(app, { olderThanMs: sweepAfterMs, concurrency: startConcurrency, signal: stopping.signal }),
      deleteExpiredIdempotencyKeys(app.pool, idempotencyTtlMs),
    ]);
    track(
      work.finally(() => (sweeping = false)),
      'the workflow sweep',
    );
  }

  // An interval of 0 turns the sweeper off (tests: their files share a database but not a Temporal server).
  const timer = sweepIntervalMs > 0 ? setInterval(sweep, sweepIntervalMs) : undefined;
  timer?.unref();

  app.addHook('onClose', async () => {
    closing = true;
    stopping.abort();
    clearInterval(timer);
    await Promise.allSettled([...running]);
  });
}

/** Registers the background workflow starter and the sweeper. */
export default fp(workflowSweeperPlugin, { name: 'workflow-sweeper', dependencies: ['services'] });
