/** Test configuration: the defaults with the run's database and short durations. */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../config';

/** The payload codec key of every test (id `test`), as PAYLOAD_KEYS holds it. */
export const TEST_PAYLOAD_KEYS = `test:${Buffer.alloc(32, 7).toString('base64')}`;

/** The webhook secret key of every test, as WEBHOOK_SECRET_KEY holds it (tests of the generated key unset it). */
export const TEST_WEBHOOK_SECRET_KEY = Buffer.alloc(32, 9).toString('base64');

/** A config for tests; `env` overrides individual variables. */
export function testConfig(env: Record<string, string> = {}): Config {
  const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-outbox-'));
  return loadConfig({
    DATABASE_URL: inject('databaseUrl'),
    OUTBOX_DIR: outbox,
    DATA_DIR: path.join(os.tmpdir(), 'pw-data'),
    API_PORT: '0',
    LOG_LEVEL: 'warn',
    // Test files share one database but not one Temporal: a sweeper must not start another file's rows.
    INTAKE_SWEEP_INTERVAL: '0',
    // A fixed key: test files share it with the servers and processes they start.
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    WEBHOOK_SECRET_KEY: TEST_WEBHOOK_SECRET_KEY,
    ...env,
  });
}
