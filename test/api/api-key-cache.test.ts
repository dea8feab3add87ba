/**
 * Verified API keys are kept in memory while PostgreSQL announces key changes (migration 063): a request with a
 * known key costs no lookup, and a key revoked or deleted by any means (here by hand in SQL) stops working as soon
 * as the announcement arrives. When announcements may be missed, every request looks its key up again.
 */
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { LISTENER_NAME } from '../../db/api-key-changes';
import { apiWithoutTemporal, newPartner } from '../support/fixtures';

type Api = Awaited<ReturnType<typeof apiWithoutTemporal>>;

/** Counts the key lookups the API makes through its pool. */
function countKeyLookups(pool: pg.Pool): { readonly count: number } {
  const counter = { count: 0 };
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && /FROM api_keys\s+WHERE id = \$1/.test(args[0])) counter.count++;
    return query(...args);
  };
  return counter;
}

async function status(api: Api, authorization: string): Promise<number> {
  return (await api.app.inject({ url: '/v1/submissions', headers: { authorization } })).statusCode;
}

/** Polls until `check` holds (announcements travel asynchronously); fails after `ms`. */
async function eventually(check: () => Promise<boolean>, what: string, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('API key cache', () => {
  let api: Api | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  async function warm(authorization: string, lookups: { readonly count: number }): Promise<void> {
    // Once the listener is live, a second request with the same key makes no lookup.
    await eventually(async () => {
      await status(api!, authorization);
      const before = lookups.count;
      await status(api!, authorization);
      return lookups.count === before;
    }, 'the key is served from memory');
  }

  it('serves a known key from memory and refuses it once it is revoked or its partner deleted in SQL', async () => {
    api = await apiWithoutTemporal();
    const lookups = countKeyLookups(api.pool);
    const revokedLater = await newPartner(api.pool);
    const deletedLater = await newPartner(api.pool);
    await warm(revokedLater.auth.authorization, lookups);
    await warm(deletedLater.auth.authorization, lookups);

    const before = lookups.count;
    for (let i = 0; i < 20; i++) expect(await status(api, revokedLater.auth.authorization)).toBe(200);
    expect(lookups.count).toBe(before);

    await api.pool.query('UPDATE api_keys SET revoked_at = now() WHERE partner_id = $1', [revokedLater.partnerId]);
    await eventually(async () => (await status(api!, revokedLater.auth.authorization)) === 401, 'revoked key refused');
    await api.pool.query('DELETE FROM partners WHERE id = $1', [deletedLater.partnerId]);
    await eventually(async () => (await status(api!, deletedLater.auth.authorization)) === 401, 'deleted key refused');
    expect(await status(api, revokedLater.auth.authorization)).toBe(401);
  });

  it('looks every key up while the announcements connection is lost, and caches again once it is back', async () => {
    api = await apiWithoutTemporal();
    const lookups = countKeyLookups(api.pool);
    const partner = await newPartner(api.pool);
    await warm(partner.auth.authorization, lookups);

    const { rows } = await api.pool.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [LISTENER_NAME],
    );
    expect(rows.length).toBeGreaterThan(0);
    // Revoked while the listener is cut off: nothing is announced to it, and yet the key must not work.
    await api.pool.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [rows.map((r) => r.pid)]);
    await eventually(async () => {
      const before = lookups.count;
      await status(api!, partner.auth.authorization);
      return lookups.count > before;
    }, 'the key is looked up again');
    await api.pool.query('UPDATE api_keys SET revoked_at = now() WHERE partner_id = $1', [partner.partnerId]);
    expect(await status(api, partner.auth.authorization)).toBe(401);

    const other = await newPartner(api.pool);
    await warm(other.auth.authorization, lookups);
  });

  it('looks the key up on every request with API_KEY_CACHE=0', async () => {
    api = await apiWithoutTemporal({ API_KEY_CACHE: '0' });
    const lookups = countKeyLookups(api.pool);
    const partner = await newPartner(api.pool);
    for (let i = 0; i < 5; i++) expect(await status(api, partner.auth.authorization)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 5; i++) expect(await status(api, partner.auth.authorization)).toBe(200);
    expect(lookups.count).toBe(10);
    await api.pool.query('UPDATE api_keys SET revoked_at = now() WHERE partner_id = $1', [partner.partnerId]);
    expect(await status(api, partner.auth.authorization)).toBe(401);
  });
});
