/**
 * The embedded database server with several pg pools at once, as `npm start` runs it (API, workers, CLI):
 * concurrent parameterised queries and transactions from different connections must not interleave.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePglite, type PgliteServer } from '../../scripts/stack/pglite-server';

describe('PGlite wire-protocol server', () => {
  let db: PGlite;
  let server: PgliteServer;
  let pools: pg.Pool[];

  beforeAll(async () => {
    db = await PGlite.create();
    server = await servePglite(db, 0);
    const url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
    pools = [new pg.Pool({ connectionString: url, max: 8 }), new pg.Pool({ connectionString: url, max: 8 })];
    await pools[0]!.query('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)');
    await pools[0]!.query('INSERT INTO counters VALUES (1, 0)');
  });

  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await server.stop();
    await db.close();
  });

  it('answers 400 concurrent parameterised queries from 16 connections, each with its own result', async () => {
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        pools[i % 2]!.query<{ v: number; s: string }>('SELECT $1::int AS v, $2::text AS s', [i, `row-${i}`]),
      ),
    );
    results.forEach((r, i) => expect(r.rows[0]).toEqual({ v: i, s: `row-${i}` }));
  });

  it('keeps transactions apart: 100 concurrent read-modify-write transactions lose no update', async () => {
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const client = await pools[i % 2]!.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query<{ n: number }>('SELECT n FROM counters WHERE id = $1', [1]);
          await client.query('UPDATE counters SET n = $1 WHERE id = $2', [rows[0]!.n + 1, 1]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }),
    );
    const { rows } = await pools[0]!.query<{ n: number }>('SELECT n FROM counters WHERE id = 1');
    expect(rows[0]!.n).toBe(100);
  });

  it('rolls back the open transaction of a connection that goes away, and serves the others on', async () => {
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${server.port}/postgres` });
    await client.connect();
    await client.query('BEGIN');
    await client.query('UPDATE counters SET n = -1 WHERE id = $1', [1]);
    client.on('error', () => undefined);
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const { rows } = await pools[1]!.query<{ n: number }>('SELECT n FROM counters WHERE id = $1', [1]);
    expect(rows[0]!.n).toBe(100);
  });
});
