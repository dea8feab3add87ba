/** Test data made through the same code paths the CLI uses. */
import type pg from 'pg';
import { createPartner } from '../../domain/partners';
import type { Order } from '../../contracts';

/** A new partner with its API key and ready-made auth header. */
export async function newPartner(
  pool: pg.Pool,
  options: { name?: string; contactEmail?: string; approvalThresholdMinor?: number } = {},
): Promise<{ partnerId: string; apiKey: string; auth: { authorization: string } }> {
  const { partner, apiKey } = await createPartner(pool, { name: options.name ?? 'Test Partner', ...options });
  return { partnerId: partner.id, apiKey, auth: { authorization: `Bearer ${apiKey}` } };
}

/** A valid order; `overrides` replace top-level fields. */
export function sampleOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderNumber: `PO-${Math.random().toString(36).slice(2, 10)}`,
    currency: 'EUR',
    customer: { name: 'Jane Buyer', email: 'jane@example.com' },
    lines: [
      { sku: 'WIDGET-1', description: 'Blue widget', quantity: 3, unitPriceMinor: 1250 },
      { sku: 'GADGET-2', description: 'Red gadget', quantity: 1, unitPriceMinor: 9900 },
    ],
    taxRateBasisPoints: 2000,
    payment: { method: 'pm_card_visa' },
    ...overrides,
  };
}
