import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { migrate, OutOfOrderMigrationError, readMigrations } from '../../db/migrate';

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

  it('064 gives partners optional billing details and issued invoices the buyer they were issued to', async () => {
    const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    try {
      const { rows } = await pool.query(
        `SELECT table_name AS "table", column_name AS "column", data_type AS type, is_nullable AS nullable
           FROM information_schema.columns
          WHERE (table_name = 'partners' AND column_name = 'billing')
             OR (table_name = 'issued_invoices' AND column_name = 'buyer')
          ORDER BY table_name`,
      );
      // Nullable: partners without details, and invoices issued before it, keep NULL.
      expect(rows).toEqual([
        { table: 'issued_invoices', column: 'buyer', type: 'jsonb', nullable: 'YES' },
        { table: 'partners', column: 'billing', type: 'jsonb', nullable: 'YES' },
      ]);
      const id = `ptn_mig064_${Date.now()}`;
      await expect(
        pool.query(`INSERT INTO partners (id, name, billing) VALUES ($1, 'x', '"not an object"')`, [id]),
      ).rejects.toThrow(/check constraint/);
      await pool.query(`INSERT INTO partners (id, name, billing) VALUES ($1, 'x', '{"vatId": "NL1"}')`, [id]);
      await pool.query(`DELETE FROM partners WHERE id = $1`, [id]);
    } finally {
      await pool.end();
    }
  });

  // The embedded PGlite serves one session and takes no startup options, so this test cannot have a search_path (and
  // a schema_migrations) of its own there.
  it.skipIf(inject('embeddedDatabase'))(
    'refuse a file numbered below the highest applied, naming it, and apply nothing of that run',
    async () => {
      // A schema of its own, so this test's schema_migrations is not the shared one.
      const schema = `mig_order_${Date.now()}`;
      const admin = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
      await admin.query(`CREATE SCHEMA ${schema}`);
      const pool = new pg.Pool({
        connectionString: inject('databaseUrl'),
        max: 1,
        options: `-c search_path=${schema}`,
      });
      try {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
        fs.writeFileSync(path.join(dir, '010_first.sql'), 'CREATE TABLE first (id int)');
        fs.writeFileSync(path.join(dir, '020_second.sql'), 'CREATE TABLE second (id int)');
        expect(await migrate(pool, dir)).toEqual([10, 20]);

        fs.writeFileSync(path.join(dir, '012_late.sql'), 'CREATE TABLE late (id int)');
        fs.writeFileSync(path.join(dir, '030_next.sql'), 'CREATE TABLE next (id int)');
        const refused = migrate(pool, dir);
        await expect(refused).rejects.toThrow(OutOfOrderMigrationError);
        await expect(refused).rejects.toThrow(/012_late is numbered below 020, the highest already applied/);
        const { rows } = await pool.query('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).toEqual([10, 20]);
        const next = await pool.query('SELECT to_regclass($1) AS t', [`${schema}.next`]);
        expect(next.rows[0].t).toBeNull();

        fs.renameSync(path.join(dir, '012_late.sql'), path.join(dir, '025_late.sql'));
        expect(await migrate(pool, dir)).toEqual([25, 30]);
      } finally {
        await pool.end();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
    },
  );
});
