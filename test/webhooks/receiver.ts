/**
 * A real webhook receiver on 127.0.0.1 for tests. Every request is verified with the official Standard Webhooks
 * verifier against each secret the test names, and the receiver answers as the test's script says.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One received request. */
export interface Received {
  headers: Record<string, string>;
  body: string;
  /** Secrets (by the test's label) that verify this request. */
  verifiedBy: string[];
  receivedAt: number;
}

/** How to answer the n-th request (0-based): a status with headers, `hang` to hold it open, `drop` to cut the socket. */
export type Script = (
  n: number,
  req: Received,
) => { status: number; headers?: Record<string, string> } | 'hang' | 'drop';

/** A running receiver. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Replace the secrets checked from now on (label -> whsec_...). */
  secrets: Record<string, string>;
  script: Script;
  close(): Promise<void>;
}

/** Starts a receiver answering 204 unless a script is given. */
export async function startReceiver(
  secrets: Record<string, string> = {},
  script: Script = () => ({ status: 204 }),
): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], secrets, script, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const body = Buffer.concat(chunks).toString('utf8');
      const verifiedBy = Object.entries(receiver.secrets)
        .filter(([, secret]) => {
          try {
            new Webhook(secret).verify(body, headers);
            return true;
          } catch {
            return false;
          }
        })
        .map(([label]) => label);
      const received: Received = { headers, body, verifiedBy, receivedAt: Date.now() };
      const answer = receiver.script(receiver.received.length, received);
      receiver.received.push(received);
      if (answer === 'hang') return;
      if (answer === 'drop') return void req.socket.destroy();
      res.writeHead(answer.status, answer.headers).end('receiver says hello');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return receiver;
}
