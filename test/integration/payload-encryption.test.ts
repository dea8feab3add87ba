/**
 * Partner data stays out of Temporal: the history of an order and of its webhook delivery, exported with
 * `temporal workflow show --output json`, holds no partner name, email, order number, amount or payment method
 * token in clear (payloads and failure messages are AES-256-GCM encrypted by the codec); the codec endpoint, and
 * the CLI pointed at it, decode them again.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { submissionWorkflowId, webhookDeliveryWorkflowId } from '../../contracts';
import { newPartner, sampleOrder } from '../support/fixtures';
import { eventually, postOrder, startStack, statusWhen, type TestStack } from '../support/stack';
import { registerEndpoint } from '../webhooks/helpers';
import { startReceiver, type Receiver } from '../webhooks/receiver';

const run = promisify(execFile);
const ADMIN_TOKEN = 'codec-test-admin-token-0123456789';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** Every payload-shaped object (`{metadata: {encoding}, data}`) in an exported history. */
function payloadsIn(value: unknown, found: JsonPayload[] = []): JsonPayload[] {
  if (Array.isArray(value)) value.forEach((v) => payloadsIn(v, found));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const metadata = record.metadata as Record<string, unknown> | undefined;
    if (metadata && typeof metadata.encoding === 'string') found.push(record as JsonPayload);
    else Object.values(record).forEach((v) => payloadsIn(v, found));
  }
  return found;
}

/** The history as text plus every payload's data and metadata decoded from base64: what anyone reading it sees. */
function readable(history: unknown): string {
  const decoded = payloadsIn(history).map((p) =>
    [p.data ?? '', ...Object.values(p.metadata ?? {})]
      .map((b) => Buffer.from(b, 'base64').toString('latin1'))
      .join(' '),
  );
  return [JSON.stringify(history), ...decoded].join('\n');
}

/** The partner data an order carries, as it could appear in a history. */
function secretsOf(
  order: ReturnType<typeof sampleOrder>,
  partnerName: string,
  totalMinor: number,
): (string | RegExp)[] {
  return [
    partnerName,
    order.customer.name,
    order.customer.email,
    order.orderNumber,
    order.payment.method,
    new RegExp(`(?<![0-9])${totalMinor}(?![0-9])`),
  ];
}

describe('payload encryption in Temporal histories', () => {
  let stack: TestStack;
  let receiver: Receiver;
  let baseUrl: string;
  const cli = (...args: string[]) =>
    run(inject('temporalCli'), [...args, '--address', stack.env.address, '--output', 'json'], {
      maxBuffer: 64 * 1024 * 1024,
    }).then((r) => JSON.parse(r.stdout) as unknown);

  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startStack({ env: { ADMIN_TOKEN, WEBHOOK_ALLOW_LIST: '127.0.0.1' } });
    baseUrl = await stack.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('keeps partner data out of the exported histories and decodes it through the codec endpoint', async () => {
    await stack.startWorkers();
    const partnerName = `Cobalt Trading ${Date.now()}`;
    const partner = await newPartner(stack.pool, { name: partnerName, contactEmail: 'ops@cobalt.example' });
    await registerEndpoint(stack, partner.auth, `${receiver.url}/hooks`);
    const order = sampleOrder({
      customer: { name: 'Ingrid Quarterman', email: 'ingrid.quarterman@buyer.example' },
      // A total of nine digits: a short one (4,453) once turned up by chance in the hex of a request id.
      lines: [{ sku: 'SKU-7', description: 'Teal valve', quantity: 3, unitPriceMinor: 112_233_445 }],
    });
    const id = await postOrder(stack.app, partner.auth, order);
    const done = await statusWhen(stack.app, partner.auth, id, (b) => b.status === 'completed');
    const totalMinor = Number(done.result?.totalMinor);
    expect(totalMinor).toBeGreaterThan(100_000_000);
    const delivery = await eventually(async () => {
      const res = await stack.app.inject({ url: `/v1/webhook-deliveries?submissionId=${id}`, headers: partner.auth });
      const items = res.json<{ data: { id: string; status: string }[] }>().data;
      return items.find((d) => d.status === 'succeeded');
    });
    await stack.env.client.workflow.getHandle(webhookDeliveryWorkflowId(delivery.id)).result();

    const secrets = secretsOf(order, partnerName, totalMinor);
    const histories = {
      order: await cli('workflow', 'show', '--workflow-id', submissionWorkflowId('order', id)),
      delivery: await cli('workflow', 'show', '--workflow-id', webhookDeliveryWorkflowId(delivery.id)),
    };
    for (const [name, history] of Object.entries(histories)) {
      const text = readable(history);
      expect(payloadsIn(history).length, name).toBeGreaterThan(5);
      for (const secret of secrets) expect(text, `${name} history shows ${String(secret)}`).not.toMatch(secret);
    }

    // The codec endpoint gives operators the data back: every encrypted payload of the order's history.
    const encrypted = payloadsIn(histories.order).filter(
      (p) => Buffer.from(p.metadata!.encoding!, 'base64').toString() === 'binary/encrypted',
    );
    expect(encrypted.length).toBeGreaterThan(5);
    const denied = await stack.app.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: encrypted } });
    expect(denied.statusCode).toBe(401);
    const res = await stack.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-namespace': 'default' },
      payload: { payloads: encrypted },
    });
    expect(res.statusCode).toBe(200);
    const decoded = readable(res.json());
    // The order's own workflow carries ids, its number, amount and payment method (name and email stay in PostgreSQL).
    for (const secret of [order.orderNumber, order.payment.method, new RegExp(`"totalMinor":${totalMinor}\\b`)]) {
      expect(decoded).toMatch(secret);
    }

    // Temporal's own CLI reads it through the same endpoint (the remote codec protocol).
    const shown = await cli(
      'workflow',
      'show',
      '--workflow-id',
      submissionWorkflowId('order', id),
      '--codec-endpoint',
      `${baseUrl}/codec`,
      '--codec-auth',
      `Bearer ${ADMIN_TOKEN}`,
    );
    expect(readable(shown)).toContain(`"description":"Order ${order.orderNumber}"`);
  });
});
