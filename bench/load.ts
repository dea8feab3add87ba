/** A bounded-concurrency load loop with latency percentiles, and the lean HTTP client the load is sent with. */
import http from 'node:http';

/** Latency summary in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Percentiles of a list of durations. */
export function summarize(durations: number[]): LatencySummary {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (q: number): number =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2));
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/** Runs `task(i)` for i in [0, total) with at most `concurrency` in flight; returns each duration and the wall time. */
export async function runLoad(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ durations: number[]; wallMs: number; errors: number }> {
  const durations: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        try {
          await task(i);
          durations.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { durations, wallMs: performance.now() - started, errors };
}

/** Keep-alive connections to the API under test, as many as the highest concurrency the bench uses. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One HTTP request with a JSON or empty body; resolves with the status and the body text. The load generator shares
 * the two cores with what it measures, so it is built on `node:http`: `fetch` cost 0.46 to 0.79 ms of CPU per POST
 * against 0.09 to 0.22 ms for this (4,000 POSTs at concurrency 32 to a server that answers at once).
 */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string }> {
  const headers = { ...options.headers };
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
