/**
 * The payment provider port: the Stripe adapter against a fake HTTP client (no network), and the default provider
 * on the run's PostgreSQL (idempotency, declines, injected outages), plus how the billing activity classifies them.
 */
import { ApplicationFailure } from '@temporalio/common';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createBillingActivities } from '../../activities/billing';
import { eventually } from '../support/stack';
import { createDefaultPaymentProvider } from '../../adapters/payments/default-provider';
import { PaymentDeclinedError, PaymentRequestError } from '../../adapters/payments/port';
import { createStripePaymentProvider } from '../../adapters/payments/stripe-provider';
import { createPool } from '../../db/pool';
import { chargesByKeyPrefix } from '../../db/payments';

interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  form: URLSearchParams;
}

/** A fake `fetch` for the Stripe SDK: records each request and answers with the next canned response. */
function fakeStripe(responses: { status: number; body: unknown }[]) {
  const seen: SeenRequest[] = [];
  const fetchFn = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const u = new URL(String(url));
    seen.push({
      method: init?.method ?? 'GET',
      path: u.pathname,
      headers: Object.fromEntries(new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]).entries()),
      form: new URLSearchParams(String(init?.body ?? '')),
    });
    const next = responses.shift();
    if (!next) throw new Error('unexpected request');
    return new Response(JSON.stringify(next.body), {
      status: next.status,
      headers: { 'content-type': 'application/json', 'request-id': 'req_test' },
    });
  };
  const provider = createStripePaymentProvider({
    secretKey: 'sk_test_fake',
    httpClient: Stripe.createFetchHttpClient(fetchFn as typeof fetch),
  });
  return { provider, seen };
}

const charge = {
  amountMinor: 16380,
  currency: 'EUR',
  paymentMethod: 'pm_card_visa',
  idempotencyKey: 'order-charge-sub_1',
  description: 'Order PO-1',
};

/** Stripe's answer to a PaymentIntent search that found nothing. */
const noMatch = {
  status: 200,
  body: { object: 'search_result', data: [], has_more: false, url: '/v1/payment_intents/search' },
};

describe('Stripe adapter', () => {
  it('confirms a PaymentIntent with our idempotency key and returns the charge', async () => {
    const { provider, seen } = fakeStripe([
      noMatch,
      {
        status: 200,
        body: { id: 'pi_1', object: 'payment_intent', amount: 16380, currency: 'eur', status: 'succeeded' },
      },
    ]);
    expect(await provider.charge(charge)).toEqual({
      id: 'pi_1',
      amountMinor: 16380,
      currency: 'EUR',
      status: 'succeeded',
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v1/payment_intents/search' });
    expect(seen[1]).toMatchObject({ method: 'POST', path: '/v1/payment_intents' });
    expect(seen[1]!.headers['idempotency-key']).toBe('order-charge-sub_1');
    expect(Object.fromEntries(seen[1]!.form)).toMatchObject({
      amount: '16380',
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: 'true',
      'metadata[idempotency_key]': 'order-charge-sub_1',
    });
  });

  it('returns the charge already made under the key (found by metadata) instead of charging again after 24 h', async () => {
    const earlier = { id: 'pi_0', object: 'payment_intent', amount: 16380, currency: 'eur', status: 'succeeded' };
    const { provider, seen } = fakeStripe([
      { status: 200, body: { object: 'search_result', data: [earlier], has_more: false } },
    ]);
    expect(await provider.charge(charge)).toMatchObject({ id: 'pi_0', amountMinor: 16380 });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/payment_intents/search']);
  });

  it('turns a card error into a decline, a bad request into a request error, and a 500 into a retryable error', async () => {
    const { provider } = fakeStripe([
      noMatch,
      {
        status: 402,
        body: {
          error: {
            type: 'card_error',
            code: 'card_declined',
            decline_code: 'insufficient_funds',
            message: 'Your card has insufficient funds.',
          },
        },
      },
      noMatch,
      { status: 400, body: { error: { type: 'invalid_request_error', message: 'No such PaymentMethod' } } },
      noMatch,
      { status: 500, body: { error: { type: 'api_error', message: 'Something went wrong' } } },
    ]);
    const declined = await provider.charge(charge).catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(PaymentDeclinedError);
    expect((declined as PaymentDeclinedError).declineCode).toBe('insufficient_funds');
    await expect(provider.charge(charge)).rejects.toBeInstanceOf(PaymentRequestError);
    const outage = await provider.charge(charge).catch((e: unknown) => e);
    expect(outage).not.toBeInstanceOf(PaymentDeclinedError);
    expect(outage).not.toBeInstanceOf(PaymentRequestError);
    expect((outage as Error).message).toContain('will retry');
  });

  it('finds the charge made under a key by its metadata; a payment still processing is asked about again later', async () => {
    const intent = (status: string) => ({
      id: 'pi_2',
      object: 'payment_intent',
      amount: 16380,
      currency: 'eur',
      status,
    });
    const found = (...data: unknown[]) => ({ status: 200, body: { object: 'search_result', data, has_more: false } });
    const { provider, seen } = fakeStripe([
      noMatch,
      found(intent('requires_payment_method')),
      found(intent('succeeded')),
      found(intent('processing')),
    ]);
    expect(await provider.findCharge('order-charge-sub_2')).toBeUndefined();
    expect(await provider.findCharge('order-charge-sub_2')).toBeUndefined();
    expect(await provider.findCharge('order-charge-sub_2')).toEqual({
      id: 'pi_2',
      amountMinor: 16380,
      currency: 'EUR',
      status: 'succeeded',
    });
    const processing = await provider.findCharge('order-charge-sub_2').catch((e: unknown) => e);
    expect(processing).toBeInstanceOf(Error);
    expect(processing).not.toBeInstanceOf(PaymentRequestError);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(Array(4).fill('GET /v1/payment_intents/search'));
  });

  it('refunds the PaymentIntent with the refund idempotency key', async () => {
    const { provider, seen } = fakeStripe([
      { status: 200, body: { id: 're_1', object: 'refund', amount: 16380, payment_intent: 'pi_1' } },
    ]);
    expect(await provider.refund({ chargeId: 'pi_1', idempotencyKey: 'order-refund-sub_1' })).toEqual({
      id: 're_1',
      chargeId: 'pi_1',
      amountMinor: 16380,
    });
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v1/refunds' });
    expect(seen[0]!.headers['idempotency-key']).toBe('order-refund-sub_1');
    expect(seen[0]!.form.get('payment_intent')).toBe('pi_1');
  });
});

describe('default provider on PostgreSQL', () => {
  const pool = createPool(inject('databaseUrl'), 2);
  const provider = createDefaultPaymentProvider(pool);
  const billing = createBillingActivities({ payments: provider });
  const key = (name: string) => `test-${name}-${Math.random().toString(36).slice(2)}`;
  beforeAll(async () => pool.query('SELECT 1'));
  afterAll(async () => pool.end());

  it('returns the same charge for the same idempotency key and refuses the key with other parameters', async () => {
    const k = key('same');
    const first = await provider.charge({ ...charge, idempotencyKey: k });
    expect(await provider.charge({ ...charge, idempotencyKey: k })).toEqual(first);
    await expect(provider.charge({ ...charge, idempotencyKey: k, amountMinor: 1 })).rejects.toBeInstanceOf(
      PaymentRequestError,
    );
    expect(await chargesByKeyPrefix(pool, k)).toHaveLength(1);
  });

  it('fails an outage token N times per key, then charges once', async () => {
    const k = key('outage');
    const request = { ...charge, idempotencyKey: k, paymentMethod: 'pm_card_outage_2' };
    for (let i = 0; i < 2; i++) await expect(provider.charge(request)).rejects.toThrow('unavailable');
    expect((await provider.charge(request)).status).toBe('succeeded');
    expect(await chargesByKeyPrefix(pool, k)).toEqual([expect.objectContaining({ status: 'succeeded' })]);
  });

  it('takes the money of a slow token before it answers, and answers a retry with the same charge', async () => {
    const k = key('slow');
    const request = { ...charge, idempotencyKey: k, paymentMethod: 'pm_card_slow_9' };
    let answered = false;
    const answer = provider.charge(request).finally(() => (answered = true));
    // The charge is stored while the answer is still on its way: a caller that dies now has paid without knowing.
    await eventually(async () => (await chargesByKeyPrefix(pool, k)).length === 1, 5_000, 20);
    expect(answered).toBe(false);
    const first = await answer;
    expect(await provider.charge(request)).toEqual(first);
    expect(await chargesByKeyPrefix(pool, k)).toHaveLength(1);
  });

  it('finds the charge that went through under a key, and refunds it once when asked to undo it', async () => {
    const k = key('find');
    expect(await provider.findCharge(k)).toBeUndefined();
    const taken = await provider.charge({ ...charge, idempotencyKey: k });
    expect(await provider.findCharge(k)).toEqual(taken);
    const declined = key('find-declined');
    await expect(
      provider.charge({ ...charge, idempotencyKey: declined, paymentMethod: 'pm_card_chargeDeclined' }),
    ).rejects.toBeInstanceOf(PaymentDeclinedError);
    expect(await provider.findCharge(declined)).toBeUndefined();

    const undo = { chargeIdempotencyKey: k, idempotencyKey: `${k}-refund` };
    const first = await billing.refundChargeIfTaken(undo);
    expect(first).toMatchObject({ refunded: true, chargeId: taken.id, amountMinor: charge.amountMinor });
    expect(await billing.refundChargeIfTaken(undo)).toEqual(first);
    expect(await chargesByKeyPrefix(pool, k)).toEqual([
      expect.objectContaining({ amountRefundedMinor: charge.amountMinor }),
    ]);
    expect(await billing.refundChargeIfTaken({ chargeIdempotencyKey: declined, idempotencyKey: 'unused' })).toEqual({
      refunded: false,
    });
  });

  it.skipIf(inject('embeddedDatabase'))(
    'answers two attempts of one refund under way at once with that refund, not a refusal',
    async () => {
      const k = key('refund-overlap');
      const taken = await provider.charge({ ...charge, idempotencyKey: k });
      // Something holds the charge's row (a slow statement): the refund's first attempt waits behind it, Temporal
      // times it out and starts the next attempt, which waits too. Then the row is free and both go on.
      const holder = createPool(inject('databaseUrl'), 2);
      const held = await holder.connect();
      try {
        await held.query('BEGIN');
        await held.query('SELECT id FROM payment_charges WHERE id = $1 FOR UPDATE', [taken.id]);
        const refund = { chargeId: taken.id, idempotencyKey: `${k}-refund` };
        const attempts = [billing.refundPayment(refund), billing.refundPayment(refund)].map((p) =>
          p.then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          ),
        );
        await eventually(async () => {
          const { rows } = await holder.query<{ waiting: number }>(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%payment_refunds%'`,
          );
          return rows[0]!.waiting === 2;
        });
        await held.query('COMMIT');
        const [first, second] = await Promise.all(attempts);
        // The refund went through once; whichever attempt Temporal listens to must say so.
        expect(first).toEqual({ value: { refundId: expect.any(String), amountMinor: charge.amountMinor } });
        expect(second).toEqual(first);
        expect(await chargesByKeyPrefix(pool, k)).toEqual([
          expect.objectContaining({ amountRefundedMinor: charge.amountMinor }),
        ]);
      } finally {
        held.release();
        await holder.end();
      }
    },
  );

  it('makes declines permanent and outages retryable in the billing activity', async () => {
    const input = { ...charge, partnerId: 'p', reference: 'r' };
    const declined = await billing
      .chargePayment({ ...input, idempotencyKey: key('decl'), paymentMethod: 'pm_card_chargeDeclined' })
      .catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(ApplicationFailure);
    expect(declined).toMatchObject({ type: 'CardDeclined', nonRetryable: true });
    const down = await billing
      .chargePayment({ ...input, idempotencyKey: key('down'), paymentMethod: 'pm_card_outage_1' })
      .catch((e: unknown) => e);
    expect(down).not.toBeInstanceOf(ApplicationFailure);
  });
});
