/**
 * Runs once per `vitest run`: finds (or builds) the Temporal CLI, and prepares a fresh database with every
 * migration: a new database on the server at DATABASE_URL (dropped afterwards), or an embedded PGlite.
 */
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { findTemporalCli } from '../../scripts/temporal-cli';
import { startPglite } from '../../scripts/stack/pglite';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalCli: string;
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: (() => Promise<void>)[] = [];
  const cli = await findTemporalCli({ explicit: process.env.TEMPORAL_CLI || undefined });
  project.provide('temporalCli', cli);

  let databaseUrl: string;
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `pw_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    cleanups.push(async () => {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    });
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-pglite-'));
    const port = 15_000 + Math.floor(Math.random() * 10_000);
    const db = await startPglite({ dataDir: dir, port });
    databaseUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    cleanups.push(async () => {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
  const pool = createPool(databaseUrl, 1);
  await migrate(pool);
  await pool.end();
  project.provide('databaseUrl', databaseUrl);

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}
