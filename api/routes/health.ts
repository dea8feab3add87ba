/** Liveness and readiness. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

/** `/healthz` (the process answers) and `/readyz` (PostgreSQL and Temporal answer). */
export default async function healthRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: { tags: ['health'], summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  const Check = Type.Object({
    status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
    database: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
    temporal: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  });
  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Readiness: database and Temporal reachable',
        response: { 200: Check, 503: Check },
      },
    },
    async (request, reply) => {
      // Each dependency says ok or unavailable; why is for our logs only (error text names hosts and addresses).
      const probe = (name: string, check: () => Promise<unknown>) =>
        Promise.resolve()
          .then(check)
          .then(
            () => 'ok' as const,
            (err: unknown) => {
              request.log.warn({ err }, `readiness: ${name} is unavailable`);
              return 'unavailable' as const;
            },
          );
      const [database, temporal] = await Promise.all([
        probe('the database', () => app.pool.query('SELECT 1')),
        probe('Temporal', () => app.temporal.workflowService.getSystemInfo({})),
      ]);
      const ok = database === 'ok' && temporal === 'ok';
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database, temporal });
    },
  );
}
