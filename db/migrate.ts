/**
 * Applies the numbered SQL files in db/migrations in order, each in its own transaction, and records them in
 * `schema_migrations`. An advisory lock lets several processes start at once without applying a file twice. A file
 * numbered below the highest applied one is refused: numbers are the order, so a late one must take a higher number.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';

const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
const LOCK_ID = 727_001;

/** A migration file on disk. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads the migration files, sorted by number; fails on a malformed or duplicated number. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const seen = new Set<number>();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`migration file "${file}" must be named NNN_name.sql`);
    const version = Number(match[1]);
    if (seen.has(version)) throw new Error(`two migrations share number ${match[1]}`);
    seen.add(version);
    migrations.push({ version, name: match[2]!, sql: await fs.readFile(path.join(dir, file), 'utf8') });
  }
  return migrations;
}

/** Thrown when a pending migration is numbered below one already applied. */
export class OutOfOrderMigrationError extends Error {
  override name = 'OutOfOrderMigrationError';
}

/**
 * A file numbered below the highest applied one was written against an older schema than the database has: running
 * it late could undo or clash with what came after, so it is refused before anything is applied.
 */
function refuseOutOfOrder(pending: Migration[], highestApplied: number): void {
  const late = pending.filter((m) => m.version < highestApplied);
  if (late.length === 0) return;
  const names = late.map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`).join(', ');
  throw new OutOfOrderMigrationError(
    `migration ${names} is numbered below ${String(highestApplied).padStart(3, '0')}, the highest already applied; ` +
      `renumber the new file above ${String(highestApplied).padStart(3, '0')} (applied numbers are never changed)`,
  );
}

/** Applies every migration not yet recorded, refusing one numbered below the highest applied; returns the versions it applied. */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<number[]> {
  const migrations = await readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    refuseOutOfOrder(
      migrations.filter((m) => !applied.has(m.version)),
      Math.max(0, ...applied),
    );
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`migration ${m.version}_${m.name} failed and was rolled back: ${(err as Error).message}`, {
          cause: err,
        });
      }
      done.push(m.version);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    client.release();
  }
}
