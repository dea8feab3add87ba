/** Unit tests of secrets, signing (checked with the official verifier), Retry-After parsing and the event body. */
import { createCipheriv, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { eventBody, statusOfEvent } from '../../domain/webhooks/event-body';
import { parseRetryAfter, RETRY_AFTER_CAP_MS } from '../../domain/webhooks/retry-after';
import { openSecret, sealSecret } from '../../adapters/webhooks/secret-box';
import { generateSecret, signingSecrets } from '../../adapters/webhooks/secrets';
import { signedHeaders } from '../../adapters/webhooks/signing';

describe('secrets', () => {
  it('are whsec_ and base64 of 24 to 64 random bytes, never repeated', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const bytes = Buffer.from(a.slice('whsec_'.length), 'base64').length;
    expect(bytes).toBeGreaterThanOrEqual(24);
    expect(bytes).toBeLessThanOrEqual(64);
    expect(generateSecret()).not.toBe(a);
  });

  it('sign with the previous secret only until its grace period ends', () => {
    const endpoint = {
      secret: 'new',
      previousSecret: 'old',
      previousSecretExpiresAt: new Date('2026-11-21T10:00:00Z'),
    };
    expect(signingSecrets(endpoint, new Date('2026-11-21T09:59:59Z'))).toEqual(['new', 'old']);
    expect(signingSecrets(endpoint, new Date('2026-11-21T10:00:00Z'))).toEqual(['new']);
    expect(signingSecrets({ secret: 'only', previousSecret: null, previousSecretExpiresAt: null }, new Date())).toEqual(
      ['only'],
    );
  });
});

describe('secret box', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  /** A secret as sealed before endpoint binding: `enc1:` without additional authenticated data. */
  function sealUnbound(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64'), iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `enc1:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  it('stores secrets encrypted with the key, bound to their endpoint, and opens them again', () => {
    const secret = generateSecret();
    const sealed = sealSecret(secret, key, 'whe_a');
    expect(sealed).toMatch(/^enc2:/);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(sealSecret(secret, key, 'whe_a')).not.toBe(sealed); // a fresh IV every time
    expect(openSecret(sealed, key, 'whe_a')).toBe(secret);
  });
  it("refuses a wrong key, a tampered value, or another endpoint's secret", () => {
    const sealed = sealSecret('whsec_abc', key, 'whe_a');
    expect(() => openSecret(sealed, Buffer.alloc(32, 8).toString('base64'), 'whe_a')).toThrow();
    expect(() => openSecret(`${sealed.slice(0, -4)}AAAA`, key, 'whe_a')).toThrow();
    expect(() => openSecret(sealed, key, 'whe_b')).toThrow();
  });
  it('still reads rows stored before: sealed without binding (enc1:) and plain', () => {
    expect(openSecret(sealUnbound('whsec_old'), key, 'whe_any')).toBe('whsec_old');
    expect(openSecret('whsec_abc', key, 'whe_a')).toBe('whsec_abc');
  });
});

describe('signedHeaders', () => {
  const body = JSON.stringify({ type: 'submission.completed', data: { submissionId: 'sub_x' } });

  it('produce headers the official verifier accepts, for each secret during rotation', () => {
    const [oldSecret, newSecret, stranger] = [generateSecret(), generateSecret(), generateSecret()];
    const headers = signedHeaders('msg_1', new Date(), body, [newSecret, oldSecret]);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(newSecret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(oldSecret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(stranger).verify(body, { ...headers })).toThrow(/No matching signature/);
    expect(() => new Webhook(newSecret).verify(`${body} `, { ...headers })).toThrow(/No matching signature/);
  });

  it('carry the signing time, so an old message is rejected by the verifier', () => {
    const secret = generateSecret();
    const headers = signedHeaders('msg_2', new Date(Date.now() - 10 * 60_000), body, [secret]);
    expect(() => new Webhook(secret).verify(body, { ...headers })).toThrow(/too old/);
  });

  it('refuse to sign without a secret', () => {
    expect(() => signedHeaders('msg_3', new Date(), body, [])).toThrow(/at least one secret/);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-21T06:00:00Z');
  it('reads delay-seconds and HTTP dates, capped and never negative', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 06:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 05:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999999', now)).toBe(RETRY_AFTER_CAP_MS);
    expect(parseRetryAfter(['5', '9'], now)).toBe(5_000);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('eventBody', () => {
  it('is thin and versioned, with a link to the status', () => {
    const body = eventBody({
      type: 'billing.charge_failed',
      occurredAt: new Date('2026-11-21T06:00:00Z'),
      submissionId: 'sub_1',
      status: statusOfEvent('billing.charge_failed', 'processing'),
      publicBaseUrl: 'https://api.example.com',
    });
    expect(body).toEqual({
      type: 'billing.charge_failed',
      timestamp: '2026-11-21T06:00:00.000Z',
      data: {
        submissionId: 'sub_1',
        status: 'processing',
        links: { status: 'https://api.example.com/v1/submissions/sub_1' },
      },
      version: '2026-11-01',
    });
    expect(statusOfEvent('submission.awaiting_approval', 'processing')).toBe('awaiting_approval');
  });
});
