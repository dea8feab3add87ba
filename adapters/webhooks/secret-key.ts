/**
 * The key that seals webhook signing secrets: WEBHOOK_SECRET_KEY when configured; in development a key generated
 * once into the data folder and shared by every process of the stack (API and workers); in production the config
 * refuses to load without WEBHOOK_SECRET_KEY, so nothing is generated there.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';

/** Returns the configured key, or the key file's (base64 of 32 bytes), creating the file on first use. */
export function resolveWebhookSecretKey(webhooks: Pick<Config['webhooks'], 'secretKey' | 'secretKeyFile'>): string {
  if (webhooks.secretKey) return webhooks.secretKey;
  const file = webhooks.secretKeyFile;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) {
    // Written aside, then linked into place: of two processes starting together, one key wins and both read it whole.
    const draft = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(draft, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }
  const key = fs.readFileSync(file, 'utf8').trim();
  if (Buffer.from(key, 'base64').length !== 32) throw new Error(`${file} must hold base64 of 32 bytes`);
  return key;
}
