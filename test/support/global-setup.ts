/**
 * Runs once per `vitest run`: finds (or builds) the Temporal CLI, and prepares a fresh database with every
 * migration: a new database on the server at DATABASE_URL (dropped afterwards), or an embedded PGlite.
 */
import type { TestProject } from 'vitest/node';
import { freshDatabase } from '../../scripts/stack/fresh-database';
import { findTemporalCli } from '../../scripts/temporal-cli';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalCli: string;
    databaseUrl: string;
    /** True when the run uses the embedded PGlite (one session) instead of a PostgreSQL server. */
    embeddedDatabase: boolean;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The test runner is an entry point like the CLI: it reads the two variables that choose its real parts.
  const cli = await findTemporalCli({ explicit: process.env.TEMPORAL_CLI || undefined });
  project.provide('temporalCli', cli);
  const serverUrl = process.env.DATABASE_URL || undefined;
  const database = await freshDatabase(serverUrl, 'pw_test');
  project.provide('embeddedDatabase', serverUrl === undefined);
  project.provide('databaseUrl', database.url);
  return () => database.drop();
}
