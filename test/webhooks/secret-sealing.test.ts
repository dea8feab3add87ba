/**
 * Signing secrets at rest, through the real API and attempt activity on the run's PostgreSQL: sealed by default (a
 * generated key in the data folder when WEBHOOK_SECRET_KEY is unset), bound to their endpoint, older rows still
 * readable, and a rotation's grace period ended early.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookDeliveryActivities } from '../../activities/webhook-delivery';
import type { GuardedHttpClient, GuardedRequest } from '../../adapters/http/guarded-client';
import { insertEventOnce } from '../../db/events';
import { newId } from '../../db/ids';
import { insertDeliveryOnce } from '../../db/webhook-deliveries';
import { newPartner } from '../support/fixtures';
import { startStack, type TestStack } from '../support/stack';
import { newSubmission, registerEndpoint } from './helpers';

describe('webhook secrets at rest', () => {
  let stack: TestStack;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-webhook-key-'));
  const keyFile = path.join(dataDir, 'webhook-secret-key');
  const requests: GuardedRequest[] = [];
  const http = {
    post: async (r: GuardedRequest) => (
      requests.push(r),
      { ok: true as const, status: 200, headers: {}, body: '', latencyMs: 1 }
    ),
  } as GuardedHttpClient;
  let activities: ReturnType<typeof createWebhookDeliveryActivities>;

  beforeAll(async () => {
    // No WEBHOOK_SECRET_KEY: the development default, where the key is generated into the data folder.
    stack = await startStack({ env: { WEBHOOK_SECRET_KEY: '', DATA_DIR: dataDir } });
    activities = createWebhookDeliveryActivities({
      pool: stack.pool,
      mailer: stack.deps.mailer,
      webhooks: stack.config.webhooks,
      http,
    });
  });
  afterAll(async () => {
    await stack?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function storedSecret(endpointId: string): Promise<string> {
    const { rows } = await stack.pool.query<{ secret: string }>('SELECT secret FROM webhook_endpoints WHERE id = $1', [
      endpointId,
    ]);
    return rows[0]!.secret;
  }

  /** A delivery to the endpoint, attempted once by the activity; returns the request it sent. */
  async function attempt(partnerId: string, endpointId: string): Promise<GuardedRequest> {
    const submissionId = await newSubmission(stack, partnerId);
    const event = await insertEventOnce(stack.pool, {
      id: newId('evt'),
      partnerId,
      submissionId,
      type: 'submission.completed',
      data: {},
    });
    const delivery = await insertDeliveryOnce(stack.pool, {
      id: newId('msg'),
      partnerId,
      endpointId,
      eventId: event.id,
      submissionId,
      eventType: 'submission.completed',
      payload: '{"type":"submission.completed"}',
    });
    const before = requests.length;
    await activities.attemptWebhookDelivery({ deliveryId: delivery.id });
    expect(requests).toHaveLength(before + 1);
    return requests[before]!;
  }
  const verifies = (secret: string, r: GuardedRequest): boolean => {
    try {
      new Webhook(secret).verify(r.body, r.headers);
      return true;
    } catch {
      return false;
    }
  };

  it('seals a new secret without WEBHOOK_SECRET_KEY, with a key generated once into the data folder', async () => {
    expect(stack.config.webhooks.secretKey).toBeUndefined();
    const partner = await newPartner(stack.pool);
    const endpoint = await registerEndpoint(stack, partner.auth, 'https://hooks.example.com/default');
    const stored = await storedSecret(endpoint.id);
    expect(stored).toMatch(/^enc2:/);
    expect(stored).not.toContain(endpoint.secret.slice(6, 20));
    expect(fs.statSync(keyFile).mode & 0o077).toBe(0);
    expect(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(verifies(endpoint.secret, await attempt(partner.partnerId, endpoint.id))).toBe(true);
  });

  it("refuses to sign with another endpoint's sealed secret swapped into the row", async () => {
    const partner = await newPartner(stack.pool);
    const a = await registerEndpoint(stack, partner.auth, 'https://hooks.example.com/a');
    const b = await registerEndpoint(stack, partner.auth, 'https://hooks.example.com/b');
    expect(verifies(a.secret, await attempt(partner.partnerId, a.id))).toBe(true);
    await stack.pool.query(
      `UPDATE webhook_endpoints SET secret = CASE id WHEN $1 THEN (SELECT secret FROM webhook_endpoints WHERE id = $2)
       ELSE (SELECT secret FROM webhook_endpoints WHERE id = $1) END WHERE id IN ($1, $2)`,
      [a.id, b.id],
    );
    const sent = requests.length;
    await expect(attempt(partner.partnerId, a.id)).rejects.toThrow(`webhook endpoint ${a.id} does not open`);
    await expect(attempt(partner.partnerId, b.id)).rejects.toThrow(`webhook endpoint ${b.id} does not open`);
    expect(requests).toHaveLength(sent);
  });

  it('still signs with secrets stored before: sealed without the endpoint binding (enc1:) and plain', async () => {
    const key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64');
    const partner = await newPartner(stack.pool);
    const sealedOld = await registerEndpoint(stack, partner.auth, 'https://hooks.example.com/enc1');
    const plainOld = await registerEndpoint(stack, partner.auth, 'https://hooks.example.com/plain');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(sealedOld.secret, 'utf8'), cipher.final()]);
    const enc1 = `enc1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    await stack.pool.query('UPDATE webhook_endpoints SET secret = $2 WHERE id = $1', [sealedOld.id, enc1]);
    await stack.pool.query('UPDATE webhook_endpoints SET secret = $2 WHERE id = $1', [plainOld.id, plainOld.secret]);
    expect(verifies(sealedOld.secret, await attempt(partner.partnerId, sealedOld.id))).toBe(true);
    expect(verifies(plainOld.secret, await attempt(partner.partnerId, plainOld.id))).toBe(true);
  });

  it("ends a rotation's grace period early: from then on only the new secret signs", async () => {
    const partner = await newPartner(stack.pool);
    const endpoint = await registerEndpoint(stack, partner.auth, 'https://hooks.example.com/rotating');
    const rotated = await stack.app.inject({
      method: 'POST',
      url: `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`,
      headers: partner.auth,
    });
    const { secret: newSecret, links } = rotated.json<{ secret: string; links: Record<string, string> }>();
    expect(links.endRotation).toBe(`/v1/webhook-endpoints/${endpoint.id}/end-rotation`);
    const during = await attempt(partner.partnerId, endpoint.id);
    expect([verifies(newSecret, during), verifies(endpoint.secret, during)]).toEqual([true, true]);

    const ended = await stack.app.inject({ method: 'POST', url: links.endRotation!, headers: partner.auth });
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({ id: endpoint.id, previousSecretValidUntil: null });
    expect(ended.json()).not.toHaveProperty('secret');
    const after = await attempt(partner.partnerId, endpoint.id);
    expect(after.headers['webhook-signature']).toMatch(/^v1,\S+$/);
    expect([verifies(newSecret, after), verifies(endpoint.secret, after)]).toEqual([true, false]);

    const stranger = await newPartner(stack.pool);
    const foreign = await stack.app.inject({ method: 'POST', url: links.endRotation!, headers: stranger.auth });
    expect(foreign.statusCode).toBe(404);
  });
});
