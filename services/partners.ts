/** Creating partners, their billing details and their keys: shared by the CLI and the admin API. */
import type pg from 'pg';
import type { PartnerBilling } from '../contracts/partner-billing';
import { insertApiKey } from '../db/api-keys';
import { newId } from '../db/ids';
import { insertPartner, setPartnerBilling, type Partner } from '../db/partners';
import { withTransaction } from '../db/pool';
import { checkPartnerBilling, type BillingProblem } from '../domain/partner-billing';
import { generateApiKey } from './api-keys';

/** Billing details that cannot be stored; `problems` names each field (a JSON pointer) and what is wrong. */
export class InvalidBillingError extends Error {
  override name = 'InvalidBillingError';
  constructor(readonly problems: BillingProblem[]) {
    super(`invalid billing details: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`);
  }
}

function checked(billing: unknown): PartnerBilling {
  const problems = checkPartnerBilling(billing);
  if (problems.length) throw new InvalidBillingError(problems);
  return billing as PartnerBilling;
}

/** Creates a partner with its first API key; the key is returned only here. */
export async function createPartner(
  pool: pg.Pool,
  input: { name: string; contactEmail?: string; approvalThresholdMinor?: number; billing?: PartnerBilling },
): Promise<{ partner: Partner; apiKey: string; keyId: string }> {
  const name = input.name.trim();
  if (!name) throw new Error('a partner needs a non-empty --name');
  const billing = input.billing === undefined ? undefined : checked(input.billing);
  return withTransaction(pool, async (tx) => {
    const partner = await insertPartner(tx, { id: newId('ptn'), ...input, name, billing });
    const key = generateApiKey();
    await insertApiKey(tx, { id: key.id, partnerId: partner.id, secretHash: key.secretHash });
    return { partner, apiKey: key.key, keyId: key.id };
  });
}

/**
 * Sets or replaces a partner's billing details (null removes them). Invoices already issued keep the buyer they were
 * issued to; the next one takes the new details. False when there is no such partner.
 */
export async function updatePartnerBilling(
  pool: pg.Pool,
  partnerId: string,
  billing: PartnerBilling | null,
): Promise<boolean> {
  return setPartnerBilling(pool, partnerId, billing === null ? null : checked(billing));
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
