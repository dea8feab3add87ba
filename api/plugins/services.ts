/**
 * The app's dependencies as decorations: config, pg pool and Temporal client. Each is either handed in (tests,
 * the combined start script) or opened from the config and then closed with the app.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { Config } from '../../config';
import { lazyClient } from '../../adapters/temporal/connection';
import { createPool } from '../../db/pool';
import { createStartMarks, type StartMarks } from '../../services/start-marks';
import { createSubmissionInserts, type SubmissionInserts } from '../../services/submission-inserts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    pool: pg.Pool;
    temporal: Client;
    /** Started submissions waiting to be marked, in one UPDATE per batch. */
    startMarks: StartMarks;
    /** The INSERTs of concurrent orders and invoices, in one statement per batch. */
    submissionInserts: SubmissionInserts;
  }
}

/** What `build()` may be given instead of opening its own. */
export interface ServiceOptions {
  config: Config;
  pool?: pg.Pool;
  temporal?: Client;
}

async function servicesPlugin(app: FastifyInstance, opts: ServiceOptions): Promise<void> {
  app.decorate('config', opts.config);

  const pool = opts.pool ?? createPool(opts.config.databaseUrl);
  app.decorate('pool', pool);
  const startMarks = createStartMarks(pool, {
    onError: (err) => app.log.warn({ err }, 'could not mark started workflows; the sweeper will find them started'),
  });
  app.decorate('startMarks', startMarks);
  app.decorate('submissionInserts', createSubmissionInserts(pool));
  app.addHook('onClose', async () => {
    await startMarks.flush();
    if (!opts.pool) await pool.end();
  });

  let temporal = opts.temporal;
  if (!temporal) {
    // A lazy connection lets the API start (and answer /healthz) before Temporal is reachable.
    const own = lazyClient(opts.config);
    app.addHook('onClose', async () => own.connection.close());
    temporal = own;
  }
  app.decorate('temporal', temporal);
}

/** Registers config, pool and Temporal client. */
export default fp(servicesPlugin, { name: 'services' });
