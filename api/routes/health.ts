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
    database: Type.String(),
    temporal: Type.String(),
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
    async (_request, reply) => {
      const [database, temporal] = await Promise.all([
        app.pool.query('SELECT 1').then(
          () => 'ok',
          (e: Error) => e.message,
        ),
        app.temporal.workflowService.getSystemInfo({}).then(
          () => 'ok',
          (e: Error) => e.message,
        ),
      ]);
      const ok = database === 'ok' && temporal === 'ok';
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database, temporal });
    },
  );
}
