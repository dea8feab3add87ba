/**
 * Signing secrets at rest. We must be able to sign with them, so they cannot be hashed; they are stored AES-256-GCM
 * encrypted with WEBHOOK_SECRET_KEY (or the key `npm start` keeps in the data folder), so a database dump alone does
 * not let anyone forge our webhooks. The current format, `enc2:` + base64 of iv, tag and ciphertext, binds each
 * secret to its endpoint (the endpoint id is the additional authenticated data): a secret copied onto another
 * endpoint's row no longer opens. Older rows stay readable: `enc1:` (sealed without the endpoint id) and plain
 * `whsec_` values (stored before any key existed).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const SEALED = 'enc2:';
const SEALED_UNBOUND = 'enc1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The authenticated data of an endpoint's secret: what the ciphertext is bound to. */
function boundTo(endpointId: string): Buffer {
  return Buffer.from(`webhook-endpoint:${endpointId}`, 'utf8');
}

/** Encrypts an endpoint's secret for storage, bound to the endpoint id. */
export function sealSecret(secret: string, keyBase64: string, endpointId: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), iv);
  cipher.setAAD(boundTo(endpointId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return SEALED + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/**
 * Decrypts an endpoint's stored secret. `enc2:` must have been sealed for this endpoint; `enc1:` (no binding) and a
 * plain value are older rows, read as they were written. Throws when the key or the binding does not match.
 */
export function openSecret(stored: string, keyBase64: string, endpointId: string): string {
  const bound = stored.startsWith(SEALED);
  if (!bound && !stored.startsWith(SEALED_UNBOUND)) return stored;
  const raw = Buffer.from(stored.slice(bound ? SEALED.length : SEALED_UNBOUND.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), raw.subarray(0, IV_BYTES));
  if (bound) decipher.setAAD(boundTo(endpointId));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
