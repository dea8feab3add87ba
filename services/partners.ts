/** Creating partners and their keys: shared by the CLI and the admin API. */
import type pg from 'pg';
import { insertApiKey } from '../db/api-keys';
import { newId } from '../db/ids';
import { insertPartner, type Partner } from '../db/partners';
import { withTransaction } from '../db/pool';
import { generateApiKey } from './api-keys';

/** Creates a partner with its first API key; the key is returned only here. */
export async function createPartner(
  pool: pg.Pool,
  input: { name: string; contactEmail?: string; approvalThresholdMinor?: number },
): Promise<{ partner: Partner; apiKey: string; keyId: string }> {
  const name = input.name.trim();
  if (!name) throw new Error('a partner needs a non-empty --name');
  return withTransaction(pool, async (tx) => {
    const partner = await insertPartner(tx, { id: newId('ptn'), ...input, name });
    const key = generateApiKey();
    await insertApiKey(tx, { id: key.id, partnerId: partner.id, secretHash: key.secretHash });
    return { partner, apiKey: key.key, keyId: key.id };
  });
}

/** Issues an additional key for a partner. */
export async function createApiKey(
  pool: pg.Pool,
  partnerId: string,
  label?: string,
): Promise<{ apiKey: string; keyId: string }> {
  const key = generateApiKey();
  await insertApiKey(pool, { id: key.id, partnerId, secretHash: key.secretHash, label });
  return { apiKey: key.key, keyId: key.id };
}
