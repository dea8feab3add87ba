/** `partner create|list` and `key create|list|revoke`. */
import type pg from 'pg';
import { listApiKeys, revokeApiKey } from '../../db/api-keys';
import { findPartner, listPartners } from '../../db/partners';
import { createApiKey, createPartner } from '../../services/partners';
import { integerFlag, optionalFlag, required, UsageError, type Flags } from '../args';

/** Runs a partner command; returns the JSON to print. */
export async function partnerCommand(pool: pg.Pool, action: string | undefined, flags: Flags): Promise<unknown> {
  switch (action) {
    case 'create': {
      const { partner, apiKey } = await createPartner(pool, {
        name: required(flags, 'name'),
        contactEmail: optionalFlag(flags, 'email'),
        approvalThresholdMinor: integerFlag(flags, 'approval-threshold'),
      });
      return { partnerId: partner.id, apiKey };
    }
    case 'list':
      return (await listPartners(pool)).map((p) => ({ partnerId: p.id, name: p.name, contactEmail: p.contactEmail }));
    default:
      throw new UsageError('usage: partner create --name NAME [--email E] [--approval-threshold MINOR] | partner list');
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
