/**
 * Signing secrets at rest. We must be able to sign with them, so they cannot be hashed; with WEBHOOK_SECRET_KEY set
 * they are stored AES-256-GCM encrypted (`enc1:` + base64 of iv, tag and ciphertext), so a database dump alone does
 * not let anyone forge our webhooks. Without a key (local development) they are stored as they are.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'enc1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts a secret for storage (returns it unchanged without a key). */
export function sealSecret(secret: string, keyBase64: string | undefined): string {
  if (!keyBase64) return secret;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** Decrypts a stored secret; a plain `whsec_` value (stored without a key) is returned as is. */
export function openSecret(stored: string, keyBase64: string | undefined): string {
  if (!stored.startsWith(PREFIX)) return stored;
  if (!keyBase64) throw new Error('a webhook secret is stored encrypted but WEBHOOK_SECRET_KEY is not set');
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
