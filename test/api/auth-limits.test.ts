/** Key lookups before authentication are limited per client address: a guesser is refused before the database. */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../api/app';
import { createPool } from '../../db/pool';
import { testConfig } from '../support/config';
import { newPartner } from '../support/fixtures';

describe('failed authentications per address', () => {
  let pool: pg.Pool;
  let app: FastifyInstance;
  beforeAll(async () => {
    const config = testConfig({ RATE_LIMIT_FAILED_AUTH: '5' });
    pool = createPool(config.databaseUrl, 2);
    app = await build({ config, pool, temporal: {} as Client });
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
  });

  it('answers 429 with Retry-After once an address has guessed too many keys', async () => {
    const partner = await newPartner(pool);
    const wrong = `${partner.apiKey.slice(0, -4)}abcd`;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await app.inject({ url: '/v1/submissions', headers: { authorization: `Bearer ${wrong}` } });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(6)).toEqual([429, 429]);
    const blocked = await app.inject({ url: '/v1/submissions', headers: partner.auth });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });
});
