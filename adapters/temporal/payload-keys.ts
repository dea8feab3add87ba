/**
 * The codec's keys: PAYLOAD_KEYS when configured; in development a key generated once into the data folder and
 * shared by every process of the stack (API, workers, CLI); in production the config refuses to load without keys.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parsePayloadKeys, type Config, type PayloadKey } from '../../config';

/** Returns the configured keys, or the development key file's, creating it on first use. */
export function resolvePayloadKeys(config: Pick<Config, 'payloads' | 'production'>): PayloadKey[] {
  if (config.payloads.keys) return config.payloads.keys;
  if (config.production) throw new Error('PAYLOAD_KEYS is required in production');
  const file = config.payloads.keyFile;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) {
    // Written aside, then linked into place: of two processes starting together, one key wins and both read it whole.
    const draft = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(draft, `dev-${Date.now().toString(36)}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }
  return parsePayloadKeys(file, fs.readFileSync(file, 'utf8'));
}
