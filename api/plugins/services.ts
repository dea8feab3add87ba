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

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    pool: pg.Pool;
    temporal: Client;
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

  let pool = opts.pool;
  if (!pool) {
    const own = createPool(opts.config.databaseUrl);
    app.addHook('onClose', async () => own.end());
    pool = own;
  }
  app.decorate('pool', pool);

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
