/**
 * The API's Temporal client: a native connection that opens on first use. It must let the API start without
 * Temporal, fail a call while Temporal is down without keeping the failure, and then work as a full client.
 */
import { Client } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { LazyNativeConnection } from '../../adapters/temporal/lazy-native-connection';
import { freePort } from '../../scripts/stack/cluster';
import { startTemporal } from '../support/stack';

describe('LazyNativeConnection', () => {
  const closing: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closing.reverse()) await close();
  });

  it('connects on first use, tries again after Temporal was unreachable, and serves the client', async () => {
    const port = await freePort();
    const connection = new LazyNativeConnection({ address: `127.0.0.1:${port}` });
    const client = new Client({ connection });
    closing.push(() => connection.close());

    // Nothing listens yet: a call fails, and so does the next one (each one tries to connect).
    await expect(client.workflowService.getSystemInfo({})).rejects.toThrow();
    await expect(connection.ensureConnected()).rejects.toThrow();

    const env = await startTemporal({ port });
    closing.push(() => env.teardown());
    // The same client now reaches the server that came up on that port.
    await expect(client.workflowService.getSystemInfo({})).resolves.toBeDefined();
    const handle = await client.workflow.start('notRegistered', {
      taskQueue: 'lazy-native-connection-test',
      workflowId: `lazy-${port}`,
      args: [{ hello: 'world' }],
    });
    // Calls made inside a deadline or metadata scope go through the same connection.
    const description = await connection.withDeadline(Date.now() + 10_000, () => handle.describe());
    expect(description.status.name).toBe('RUNNING');
    await connection.withMetadata({ 'x-test': 'yes' }, () => handle.terminate('test done'));
    expect((await handle.describe()).status.name).toBe('TERMINATED');

    await connection.close();
    await expect(client.workflowService.getSystemInfo({})).rejects.toThrow(/closed/);
  });
});
