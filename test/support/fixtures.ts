/** Test data made through the same code paths the CLI uses. */
import type pg from 'pg';
import { createPartner } from '../../services/partners';
import type { Order } from '../../contracts';
import { orderExample } from '../../api/schemas/examples';

/** A new partner with its API key and ready-made auth header. */
export async function newPartner(
  pool: pg.Pool,
  options: { name?: string; contactEmail?: string; approvalThresholdMinor?: number } = {},
): Promise<{ partnerId: string; apiKey: string; auth: { authorization: string } }> {
  const { partner, apiKey } = await createPartner(pool, { name: options.name ?? 'Test Partner', ...options });
  return { partnerId: partner.id, apiKey, auth: { authorization: `Bearer ${apiKey}` } };
}

/** A valid order (the documented example) with a fresh order number; `overrides` replace top-level fields. */
export function sampleOrder(overrides: Partial<Order> = {}): Order {
  return { ...orderExample, orderNumber: `PO-${Math.random().toString(36).slice(2, 10)}`, ...overrides };
}
