/** `partner create|list|billing` and `key create|list|revoke`. */
import type pg from 'pg';
import type { PartnerBilling } from '../../contracts/partner-billing';
import { listApiKeys, revokeApiKey } from '../../db/api-keys';
import { findPartner, listPartners } from '../../db/partners';
import { checkPartnerBilling } from '../../domain/partner-billing';
import { createApiKey, createPartner, updatePartnerBilling } from '../../services/partners';
import { integerFlag, optionalFlag, required, UsageError, type Flags } from '../args';

/** The billing flags of `partner create` and `partner billing`, in usage order, with the field each one sets. */
const BILLING_FLAGS = [
  ['legal-name', '/legalName'],
  ['vat-id', '/vatId'],
  ['street', '/address/street'],
  ['additional-street', '/address/additionalStreet'],
  ['city', '/address/city'],
  ['postal-code', '/address/postalCode'],
  ['country-subdivision', '/address/countrySubdivision'],
  ['country', '/address/country'],
  ['endpoint-scheme', '/endpoint/scheme'],
  ['endpoint-id', '/endpoint/id'],
] as const;

const BILLING_USAGE =
  '[--legal-name NAME] [--vat-id VAT] [--street S [--additional-street S2] --city C --postal-code P ' +
  '[--country-subdivision R] --country CC] [--endpoint-scheme SCHEME --endpoint-id ID]';

const PARTNER_USAGE =
  `usage: partner create --name NAME [--email E] [--approval-threshold MINOR] ${BILLING_USAGE} | partner list | ` +
  `partner billing --partner ID (${BILLING_USAGE} | --clear)`;

/**
 * The billing details the flags give (undefined when no billing flag is given), checked: a wrong value is a usage
 * error naming its flag. Values are trimmed; an address is made of the address flags, an endpoint of the endpoint ones.
 */
export function billingFromFlags(flags: Flags): PartnerBilling | undefined {
  const values = new Map<string, string>();
  for (const [flag, pointer] of BILLING_FLAGS) {
    const value = optionalFlag(flags, flag);
    if (value !== undefined) values.set(pointer, value.trim());
  }
  if (values.size === 0) return undefined;
  const billing: Record<string, unknown> = {};
  const address: Record<string, string> = {};
  const endpoint: Record<string, string> = {};
  for (const [pointer, value] of values) {
    const [, group, field] = pointer.split('/') as [string, string, string | undefined];
    if (field === undefined) billing[group] = value;
    else (group === 'address' ? address : endpoint)[field] = value;
  }
  if (Object.keys(address).length) billing.address = address;
  if (Object.keys(endpoint).length) billing.endpoint = endpoint;
  const problems = checkPartnerBilling(billing);
  if (problems.length) {
    const flagOf = (pointer: string) => BILLING_FLAGS.find(([, p]) => p === pointer)?.[0];
    const lines = problems.map((p) => {
      const flag = flagOf(p.pointer);
      return flag ? `--${flag} ${p.message}` : `${p.pointer} ${p.message}`;
    });
    throw new UsageError(`invalid billing details: ${lines.join('; ')}`);
  }
  return billing as PartnerBilling;
}

/** Runs a partner command; returns the JSON to print. */
export async function partnerCommand(pool: pg.Pool, action: string | undefined, flags: Flags): Promise<unknown> {
  switch (action) {
    case 'create': {
      const billing = billingFromFlags(flags);
      const { partner, apiKey } = await createPartner(pool, {
        name: required(flags, 'name'),
        contactEmail: optionalFlag(flags, 'email'),
        approvalThresholdMinor: integerFlag(flags, 'approval-threshold'),
        billing,
      });
      return { partnerId: partner.id, apiKey, ...(billing ? { billing } : {}) };
    }
    case 'list':
      return (await listPartners(pool)).map((p) => ({
        partnerId: p.id,
        name: p.name,
        contactEmail: p.contactEmail,
        billing: p.billing,
      }));
    case 'billing': {
      const partnerId = required(flags, 'partner');
      const billing = billingFromFlags(flags);
      if (flags.clear !== undefined && billing)
        throw new UsageError(
          'partner billing: --clear removes the billing details; give it alone, without other flags',
        );
      if (flags.clear === undefined && !billing)
        throw new UsageError(`partner billing needs billing flags or --clear; ${PARTNER_USAGE}`);
      if (!(await updatePartnerBilling(pool, partnerId, billing ?? null)))
        throw new UsageError(`partner ${partnerId} does not exist`);
      return { partnerId, billing: billing ?? null };
    }
    default:
      throw new UsageError(PARTNER_USAGE);
  }
}

/** Runs an API-key command; returns the JSON to print. */
export async function keyCommand(pool: pg.Pool, action: string | undefined, flags: Flags): Promise<unknown> {
  switch (action) {
    case 'create': {
      const partnerId = required(flags, 'partner');
      if (!(await findPartner(pool, partnerId))) throw new UsageError(`partner ${partnerId} does not exist`);
      const { apiKey, keyId } = await createApiKey(pool, partnerId, optionalFlag(flags, 'label'));
      return { partnerId, keyId, apiKey };
    }
    case 'list':
      return (await listApiKeys(pool, required(flags, 'partner'))).map((k) => ({
        keyId: k.id,
        label: k.label,
        createdAt: k.createdAt,
        lastUsedAt: k.lastUsedAt,
        revokedAt: k.revokedAt,
      }));
    case 'revoke': {
      const keyId = required(flags, 'key');
      if (!(await revokeApiKey(pool, keyId))) throw new UsageError(`no active key ${keyId}`);
      return { keyId, revoked: true };
    }
    default:
      throw new UsageError('usage: key create --partner ID [--label L] | key list --partner ID | key revoke --key ID');
  }
}
