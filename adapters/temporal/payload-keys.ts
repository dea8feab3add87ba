/**
 * The codec's keys: PAYLOAD_KEYS when configured; in development a key generated once into the data folder and
 * shared by every process of the stack (API, workers, CLI); in production the config refuses to load without keys.
 */
import { randomBytes } from 'node:crypto';
import { readOrCreateKeyFile } from '../key-file';
import { parsePayloadKeys, type Config, type PayloadKey } from '../../config';

/** Returns the configured keys, or the development key file's, creating it on first use. */
export function resolvePayloadKeys(config: Pick<Config, 'payloads' | 'production'>): PayloadKey[] {
  if (config.payloads.keys) return config.payloads.keys;
  if (config.production) throw new Error('PAYLOAD_KEYS is required in production');
  const file = config.payloads.keyFile;
  const text = readOrCreateKeyFile(
    file,
    () => `dev-${Date.now().toString(36)}:${randomBytes(32).toString('base64')}\n`,
  );
  return parsePayloadKeys(file, text);
}
