/**
 * `npm run api` closes gracefully however many stop signals arrive: in a terminal one Ctrl-C reaches it twice (the
 * terminal signals the process group and npm forwards its copy). A request still in flight gets its answer, and the
 * process exits 0 instead of being killed by the second signal or held open by the keep-alive connection the request
 * came on.
 */
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../faults/support';
import { TEST_PAYLOAD_KEYS, TEST_WEBHOOK_SECRET_KEY } from '../support/config';
import { ctrlC, runEntry } from '../support/signals';

const SERVER = path.join(__dirname, '..', '..', 'api', 'server.ts');

// Accepts connections and never answers: the readiness probe's database check waits on it, so a request stays in
// flight while the API is asked to stop.
const sockets = new Set<net.Socket>();
const silent = net.createServer((socket) => {
  sockets.add(socket);
  socket.on('error', () => {});
});
afterAll(() => {
  for (const socket of sockets) socket.destroy();
  if (silent.listening) silent.close();
});

it('answers a request in flight and exits 0 when SIGINT arrives twice', async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentPort = (silent.address() as net.AddressInfo).port;
  const api = runEntry(SERVER, {
    ...process.env,
    DATABASE_URL: `postgres://postgres@127.0.0.1:${silentPort}/none`,
    // Nothing listens there: the Temporal check fails at once.
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    DATA_DIR: path.join(os.tmpdir(), 'pw-data'),
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    WEBHOOK_SECRET_KEY: TEST_WEBHOOK_SECRET_KEY,
    INTAKE_SWEEP_INTERVAL: '0',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  });
  const url = (await api.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/))[1];
  // Over a keep-alive connection (fetch keeps it open), as a load balancer's requests come.
  const inFlight = fetch(`${url}/readyz`).then(
    (res) => res.status,
    (err: unknown) => `failed: ${String(err)}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  await ctrlC(api.proc);
  // The database goes away: the probe in flight answers, and the API's own connections fail fast while it closes.
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const socket of sockets) socket.destroy();
  silent.close();
  const exit = await Promise.race([
    api.exited,
    new Promise((resolve) => setTimeout(() => resolve('still running'), 25_000)),
  ]);
  if (exit === 'still running') api.proc.kill('SIGKILL');
  expect(exit, api.output()).toEqual({ code: 0, signal: null });
  expect(await inFlight, api.output()).toBe(503);
}, 40_000);
