/**
 * Operators find a partner's runs in the Temporal UI: the dev server's UI, opened in headless Chromium, lists
 * the order's workflow when filtered by its PartnerId search attribute, and shows its payloads decoded through the
 * API's codec endpoint although Temporal stores them encrypted.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecUiToken } from '../../api/admin-token';
import { submissionWorkflowId } from '../../contracts';
import { newPartner, sampleOrder } from '../support/fixtures';
import { eventually, postOrder, startStack, statusWhen, type TestStack } from '../support/stack';
import { chromiumPath } from '../support/browser';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const ADMIN_TOKEN = 'ui-test-admin-token-0123456789';

describe('Temporal UI', () => {
  let stack: TestStack;
  let browser: Browser;
  let uiPort: number;
  beforeAll(async () => {
    uiPort = await freePort();
    const apiPort = await freePort();
    stack = await startStack({
      ui: true,
      uiPort,
      codecEndpoint: `http://127.0.0.1:${apiPort}/codec/ui/${codecUiToken(ADMIN_TOKEN)}`,
      env: { ADMIN_TOKEN, CODEC_CORS_ORIGINS: `http://127.0.0.1:${uiPort}` },
    });
    await stack.app.listen({ host: '127.0.0.1', port: apiPort });
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("lists an order's workflow filtered by its PartnerId", async () => {
    await stack.startWorkers();
    const partner = await newPartner(stack.pool);
    const id = await postOrder(stack.app, partner.auth, sampleOrder());
    const workflowId = submissionWorkflowId('order', id);
    await statusWhen(stack.app, partner.auth, id, (body) => body.status === 'completed');

    const page = await browser.newPage();
    const query = encodeURIComponent(`PartnerId="${partner.partnerId}"`);
    // The visibility store may lag a moment behind the run: reload until the row appears.
    await eventually(
      async () => {
        await page.goto(`http://127.0.0.1:${uiPort}/namespaces/default/workflows?query=${query}`, {
          waitUntil: 'networkidle',
        });
        return (await page.getByText(workflowId).count()) > 0;
      },
      60_000,
      1_000,
    );
    const shots = path.join(__dirname, '..', '.tmp');
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'temporal-ui-partner-filter.png'), fullPage: true });
    // Only this partner's run is listed: the filter used the search attribute.
    const listed = (await page.locator('a[href*="/workflows/order-sub_"]').allTextContents()).map((t) => t.trim());
    expect(listed.filter((t) => t.startsWith('order-'))).toEqual([workflowId]);
    expect(await page.getByText(/^\s*1 Workflow\s*$/).count()).toBe(1);
  });

  it("shows an order's payloads decoded through the codec endpoint", async () => {
    // The workers of the first test are still running.
    const partner = await newPartner(stack.pool);
    const order = sampleOrder();
    const id = await postOrder(stack.app, partner.auth, order);
    await statusWhen(stack.app, partner.auth, id, (body) => body.status === 'completed');
    const workflowId = submissionWorkflowId('order', id);
    const handle = stack.env.client.workflow.getHandle(workflowId);
    const { runId } = await handle.describe();
    const stored = await handle.fetchHistory();
    const input = stored.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    // Temporal holds the input encrypted: the UI can only show it by asking the codec.
    expect(Buffer.from(input!.metadata!.encoding!).toString()).toBe('binary/encrypted');

    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${uiPort}/namespaces/default/workflows/${workflowId}/${runId}/history`, {
      waitUntil: 'networkidle',
    });
    const shots = path.join(__dirname, '..', '.tmp');
    fs.mkdirSync(shots, { recursive: true });
    try {
      // The workflow's input, decoded: its submission id in clear JSON.
      await page.getByText(`"submissionId": "${id}"`).first().waitFor({ timeout: 30_000 });
    } finally {
      await page.screenshot({ path: path.join(shots, 'temporal-ui-decoded-order.png'), fullPage: true });
    }
    expect(await page.getByText('binary/encrypted').count()).toBe(0);
  });
});
