/** Test data made through the same code paths the CLI uses. */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { build } from '../../api/app';
import type { Config } from '../../config';
import { createPool } from '../../db/pool';
import { createPartner } from '../../services/partners';
import type { Order } from '../../contracts';
import { orderExample } from '../../api/schemas/examples';
import { testConfig } from './config';

/** A new partner with its API key and ready-made auth header. */
export async function newPartner(
  pool: pg.Pool,
  options: { name?: string; contactEmail?: string; approvalThresholdMinor?: number } = {},
): Promise<{ partnerId: string; apiKey: string; auth: { authorization: string } }> {
  const { partner, apiKey } = await createPartner(pool, { name: options.name ?? 'Test Partner', ...options });
  return { partnerId: partner.id, apiKey, auth: { authorization: `Bearer ${apiKey}` } };
}

/** A valid order (the documented example) with a fresh order number; `overrides` replace top-level fields. */
export function sampleOrder(overrides: Partial<Order> = {}): Order {
  return { ...orderExample, orderNumber: `PO-${Math.random().toString(36).slice(2, 10)}`, ...overrides };
}

/**
 * The API on the run's database with a Temporal client that only says yes to starts: for tests of what the API answers
 * before any workflow matters (hostile input, fuzzing). `close()` closes the app and its pool.
 */
export async function apiWithoutTemporal(
  env: Record<string, string> = {},
): Promise<{ config: Config; pool: pg.Pool; app: FastifyInstance; close(): Promise<void> }> {
  const config = testConfig(env);
  const pool = createPool(config.databaseUrl, 4);
  const temporal = { workflow: { start: async () => undefined } } as unknown as Client;
  const app = await build({ config, pool, temporal });
  return {
    config,
    pool,
    app,
    async close() {
      await app.close();
      await pool.end();
    },
  };
}

/** What `apiWithPartnerPerSuite` gives a suite once its `beforeAll` ran. */
export interface SuiteApi {
  pool: pg.Pool;
  app: FastifyInstance;
  /** The auth header of a partner made for the suite. */
  auth: { authorization: string };
}

/**
 * Called in a `describe`: `apiWithoutTemporal(env)` and one partner, made before the suite's tests and closed after
 * them. The fields are set once `beforeAll` has run.
 */
export function apiWithPartnerPerSuite(env: Record<string, string> = {}): SuiteApi {
  const suite = {} as SuiteApi;
  let api: Awaited<ReturnType<typeof apiWithoutTemporal>> | undefined;
  beforeAll(async () => {
    api = await apiWithoutTemporal(env);
    suite.pool = api.pool;
    suite.app = api.app;
    suite.auth = (await newPartner(api.pool)).auth;
  });
  afterAll(async () => {
    await api?.close();
  });
  return suite;
}
