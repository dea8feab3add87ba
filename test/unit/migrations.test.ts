import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { migrate, readMigrations } from '../../db/migrate';

describe('migrations', () => {
  it('are numbered without gaps in naming and each file is plain SQL', async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(3);
    expect(migrations.map((m) => m.version)).toEqual([...migrations.map((m) => m.version)].sort((a, b) => a - b));
  });

  it('refuse a badly named file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    fs.writeFileSync(path.join(dir, '1_init.sql'), 'SELECT 1');
    await expect(readMigrations(dir)).rejects.toThrow(/NNN_name.sql/);
  });

  it('apply in a transaction: a failing file leaves nothing behind and is not recorded', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    const table = `mig_probe_${Date.now()}`;
    fs.writeFileSync(path.join(dir, '900_probe.sql'), `CREATE TABLE ${table} (id int); SELECT no_such_function();`);
    const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    try {
      await expect(migrate(pool, dir)).rejects.toThrow(/900_probe failed and was rolled back/);
      const { rows } = await pool.query('SELECT to_regclass($1) AS t', [table]);
      expect(rows[0].t).toBeNull();
      const recorded = await pool.query('SELECT 1 FROM schema_migrations WHERE version = 900');
      expect(recorded.rowCount).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('are idempotent: a second run applies nothing', async () => {
    const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    try {
      expect(await migrate(pool)).toEqual([]);
    } finally {
      await pool.end();
    }
  });
});
