/**
 * What partners may read of our failures and our network: activity errors reduced to stable codes and texts (the
 * details stay in our logs), readiness without error text, SSRF refusals that do not say what a name resolves to,
 * webhook ports limited to 80/443, Teredo refused.
 */
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { build } from '../../api/app';
import { createGuardedHttpClient } from '../../adapters/http/guarded-client';
import { refusalReason } from '../../adapters/http/address-policy';
import { createPool } from '../../db/pool';
import { GENERIC_FAILURE } from '../../domain/partner-errors';
import { describeFailure } from '../../workflows/submission-tracker';
import { testConfig } from '../support/config';

function activityFailed(cause: Error): ActivityFailure {
  return new ActivityFailure(
    'activity failed',
    'chargePayment',
    '1',
    RetryState.NON_RETRYABLE_FAILURE,
    undefined,
    cause,
  );
}

describe('partner-visible errors', () => {
  it('keeps messages about the partner data and hides everything else behind a stable code', () => {
    const credentials = ApplicationFailure.create({
      type: 'InvalidRequest',
      message: 'Stripe refused our credentials; check STRIPE_SECRET_KEY: Invalid API Key sk_live_abc',
      nonRetryable: true,
    });
    expect(describeFailure(activityFailed(credentials))).toEqual({ code: 'ProviderRefused', message: GENERIC_FAILURE });
    expect(describeFailure(activityFailed(new Error('connect ECONNREFUSED 10.1.2.3:5432')))).toEqual({
      code: 'InternalError',
      message: GENERIC_FAILURE,
    });
    const declined = ApplicationFailure.create({
      type: 'CardDeclined',
      message: 'the card was declined (expired_card)',
    });
    expect(describeFailure(activityFailed(declined))).toEqual({
      code: 'CardDeclined',
      message: 'the card was declined (expired_card)',
    });
  });

  it('says whether it is ready without echoing why not', async () => {
    const config = testConfig();
    const pool = createPool('postgres://postgres@127.0.0.1:1/nowhere', 1);
    const temporal = {
      workflowService: { getSystemInfo: async () => Promise.reject(new Error('temporal.internal.corp:7233 refused')) },
    } as unknown as Client;
    const app = await build({ config, pool, temporal });
    try {
      const res = await app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable', database: 'unavailable', temporal: 'unavailable' });
    } finally {
      await app.close();
      await pool.end();
    }
  });
});

describe('webhook dialling', () => {
  const opts = { allowList: [], timeoutMs: 2_000, maxResponseBytes: 1024 };

  it('does not tell the partner what an internal name resolves to', async () => {
    const resolve = async () => [{ address: '10.20.30.40', family: 4 }];
    const res = await createGuardedHttpClient({ ...opts, resolve }).post({
      url: 'https://billing.internal.corp/hook',
      headers: {},
      body: '',
    });
    expect(res).toMatchObject({ ok: false, kind: 'refused' });
    expect(JSON.stringify(res)).not.toMatch(/10\.20\.30\.40|private/);
  });

  it('dials ports 80 and 443 only, unless the host is allow-listed', async () => {
    const resolve = async () => [{ address: '93.184.216.34', family: 4 }];
    const res = await createGuardedHttpClient({ ...opts, resolve }).post({
      url: 'http://hooks.example.com:6379/',
      headers: {},
      body: '',
    });
    expect(res).toMatchObject({ ok: false, kind: 'refused', error: expect.stringMatching(/port 6379/) });
    const literal = await createGuardedHttpClient(opts).post({
      url: 'http://93.184.216.34:22/',
      headers: {},
      body: '',
    });
    expect(literal).toMatchObject({ ok: false, kind: 'refused', error: expect.stringMatching(/port 22/) });
  });

  it('refuses Teredo and 6to4 addresses, which embed an IPv4 address', () => {
    // Teredo for 127.0.0.1-ish obfuscated clients and a 6to4 wrapping of 10.0.0.1.
    expect(refusalReason('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toBeDefined();
    expect(refusalReason('2002:0a00:0001::1')).toBeDefined();
  });
});
