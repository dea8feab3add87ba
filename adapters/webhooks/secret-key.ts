/**
 * The key that seals webhook signing secrets: WEBHOOK_SECRET_KEY when configured; in development a key generated
 * once into the data folder and shared by every process of the stack (API and workers); in production the config
 * refuses to load without WEBHOOK_SECRET_KEY, so nothing is generated there.
 */
import { randomBytes } from 'node:crypto';
import { readOrCreateKeyFile } from '../key-file';
import type { Config } from '../../config';

/** Returns the configured key, or the key file's (base64 of 32 bytes), creating the file on first use. */
export function resolveWebhookSecretKey(webhooks: Pick<Config['webhooks'], 'secretKey' | 'secretKeyFile'>): string {
  if (webhooks.secretKey) return webhooks.secretKey;
  const file = webhooks.secretKeyFile;
  const key = readOrCreateKeyFile(file, () => `${randomBytes(32).toString('base64')}\n`).trim();
  if (Buffer.from(key, 'base64').length !== 32) throw new Error(`${file} must hold base64 of 32 bytes`);
  return key;
}
