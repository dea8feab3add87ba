/** The `api_keys` table: only hashes of key secrets are stored. */
import type { Queryable } from './pool';

/** An API key's metadata (never its secret). */
export interface ApiKeyRecord {
  id: string;
  partnerId: string;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = `id, partner_id AS "partnerId", label, created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

/** Stores a new key's hash. */
export async function insertApiKey(
  db: Queryable,
  k: { id: string; partnerId: string; secretHash: Buffer; label?: string | null },
): Promise<void> {
  await db.query('INSERT INTO api_keys (id, partner_id, secret_hash, label) VALUES ($1, $2, $3, $4)', [
    k.id,
    k.partnerId,
    k.secretHash,
    k.label ?? null,
  ]);
}

/** The stored hash and owner of an active key, for authentication. */
export async function findActiveKey(
  db: Queryable,
  id: string,
): Promise<{ partnerId: string; secretHash: Buffer } | undefined> {
  const { rows } = await db.query<{ partnerId: string; secretHash: Buffer }>(
    `SELECT partner_id AS "partnerId", secret_hash AS "secretHash" FROM api_keys
     WHERE id = $1 AND revoked_at IS NULL`,
    [id],
  );
  return rows[0];
}

/** Lists a partner's keys, newest first. */
export async function listApiKeys(db: Queryable, partnerId: string): Promise<ApiKeyRecord[]> {
  const { rows } = await db.query<ApiKeyRecord>(
    `SELECT ${COLUMNS} FROM api_keys WHERE partner_id = $1 ORDER BY created_at DESC, id DESC`,
    [partnerId],
  );
  return rows;
}

/** Revokes a key; returns false when no active key had that id. */
export async function revokeApiKey(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
    id,
  ]);
  return rowCount === 1;
}

/** Records that a key was used (at most once a minute, to keep writes off the hot path). */
export async function touchApiKey(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE api_keys SET last_used_at = now()
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}
