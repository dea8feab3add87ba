/** /metrics counts requests per route pattern (not per raw URL); in the app it is behind ADMIN_TOKEN (hardening test). */
import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import metricsPlugin from '../../api/plugins/metrics';

describe('metrics plugin', () => {
  it('counts requests by route pattern and status', async () => {
    const app = Fastify();
    await app.register(metricsPlugin);
    app.get('/v1/things/:id', async () => ({ ok: true }));
    await app.inject({ url: '/v1/things/a' });
    await app.inject({ url: '/v1/things/b' });
    await app.inject({ url: '/nowhere' });
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('http_requests_total{method="GET",route="/v1/things/:id",status="200"} 2');
    expect(res.body).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(res.body).not.toContain('/v1/things/a');
    expect(res.body).toContain('process_cpu_user_seconds_total');
    await app.close();
  });
});
