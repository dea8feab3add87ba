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
import type { PartnerBilling } from '../../contracts/partner-billing';
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

/** A Dutch partner's billing details, every field set. */
export const ACME_BILLING: PartnerBilling = {
  legalName: 'Acme Trading B.V.',
  vatId: 'NL123456789B01',
  address: {
    street: 'Keizersgracht 1',
    additionalStreet: 'Unit 4',
    city: 'Amsterdam',
    postalCode: '1015 CJ',
    countrySubdivision: 'Noord-Holland',
    country: 'NL',
  },
  endpoint: { scheme: '0106', id: '12345678' },
};

/** The same details as the flags of `cli partner create` and `cli partner billing`. */
export const ACME_BILLING_FLAGS = {
  'legal-name': ACME_BILLING.legalName!,
  'vat-id': ACME_BILLING.vatId!,
  street: ACME_BILLING.address!.street,
  'additional-street': ACME_BILLING.address!.additionalStreet!,
  city: ACME_BILLING.address!.city,
  'postal-code': ACME_BILLING.address!.postalCode,
  'country-subdivision': ACME_BILLING.address!.countrySubdivision!,
  country: ACME_BILLING.address!.country,
  'endpoint-scheme': ACME_BILLING.endpoint!.scheme,
  'endpoint-id': ACME_BILLING.endpoint!.id,
};
