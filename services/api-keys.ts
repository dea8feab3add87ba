/**
 * API key format: `pwk_<keyId>_<secret>`. The key id finds the row; the secret (32 random bytes) is compared
 * by SHA-256 hash in constant time. A fast hash is right here: the secret is high-entropy, not a password.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId } from '../db/ids';

const FORMAT = /^pwk_(key_[0-9a-z]{26})_([A-Za-z0-9_-]{43})$/;

/** A freshly made key: the full key is shown once, only the hash is stored. */
export interface NewApiKey {
  id: string;
  key: string;
  secretHash: Buffer;
}

/** Makes a new API key. */
export function generateApiKey(): NewApiKey {
  const id = newId('key');
  const secret = randomBytes(32).toString('base64url');
  return { id, key: `pwk_${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** Splits a presented key into id and secret; undefined when it is not of our format. */
export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const match = FORMAT.exec(key);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

/** SHA-256 of a key secret. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
