/**
 * A throw-away, fully migrated database for a test or benchmark run: a new database on the server at
 * `serverUrl` (dropped by `drop()`), or an embedded PGlite on a free port when no server is given.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { startPglite } from './pglite';

/** A fresh database and how to get rid of it. */
export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates and migrates a fresh database whose name starts with `prefix`. */
export async function freshDatabase(serverUrl: string | undefined, prefix: string): Promise<FreshDatabase> {
  let fresh: FreshDatabase;
  if (serverUrl) {
    const name = `${prefix}_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    fresh = {
      url: url.toString(),
      async drop() {
        const dropper = new pg.Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      },
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-pglite-`));
    const db = await startPglite({ dataDir: dir, port: 0 });
    fresh = {
      url: `postgres://postgres@127.0.0.1:${db.port}/postgres`,
      async drop() {
        await db.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const pool = createPool(fresh.url, 1);
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return fresh;
}
