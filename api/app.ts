/** Builds the Fastify app. It never listens: the server entry does, tests use `app.inject()`. */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import authPlugin from './plugins/auth';
import errorsPlugin, { clientErrorHandler, expectationFailed, frameworkErrors } from './plugins/errors';
import metricsPlugin from './plugins/metrics';
import requestLogPlugin from './plugins/request-log';
import servicesPlugin, { type ServiceOptions } from './plugins/services';
import contentTypesPlugin from './plugins/content-types';
import rateLimitPlugin from './plugins/rate-limit';
import workflowSweeperPlugin from './plugins/workflow-sweeper';
import { ProblemSchema } from './problem';
import healthRoutes from './routes/health';
import orderRoutes from './routes/orders';
import invoiceRoutes from './routes/invoices';
import batchRoutes from './routes/batches';
import submissionRoutes from './routes/submissions';
import adminApprovalRoutes from './routes/admin-approvals';
import codecRoutes from './routes/codec';
import documentRoutes from './routes/documents';
import webhookDeliveryRoutes from './routes/webhook-deliveries';
import webhookEndpointRoutes from './routes/webhook-endpoints';
import { AcceptedSchema, StatusDocumentSchema } from './schemas/submission';
import { validatorCompiler } from './validation';

/** Body limit of every route that takes no document (webhook endpoints, decisions, cancels). */
export const SMALL_BODY_LIMIT = 64 * 1024;

/** Options of `build()`. */
export interface BuildOptions extends ServiceOptions {
  logger?: FastifyServerOptions['logger'];
}

/** Builds the API with every plugin and route registered. */
export async function build(options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // Small by default; the routes that take documents or batches raise it for themselves.
    bodyLimit: SMALL_BODY_LIMIT,
    requestTimeout: 30_000,
    // plugins/request-log.ts writes one line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Refusals made before any route runs are problem documents too.
    frameworkErrors,
    clientErrorHandler,
    // A request without Host is refused by plugins/errors.ts with a problem document; Node's refusal had no body.
    http: { requireHostHeader: false },
  });
  app.server.on('checkExpectation', expectationFailed);
  app.setValidatorCompiler(validatorCompiler);
  // Only the content types a route documents are accepted; anything else is 415, not a string body.
  app.removeContentTypeParser('text/plain');

  app.addSchema(ProblemSchema);
  app.addSchema(AcceptedSchema);
  app.addSchema(StatusDocumentSchema);

  // First: a route takes the error handler in place when it is added, and the documents' routes (/openapi.json,
  // /docs/json...) answered their refusals in Fastify's plain JSON when this came after them.
  await app.register(errorsPlugin);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Partner Workflow API',
        version: '1.0.0',
        description: 'Submit orders and invoices, follow their processing, receive signed callbacks.',
      },
      servers: [{ url: options.config.api.publicBaseUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'pwk_... API key' },
          adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN, for operators only' },
        },
      },
      tags: [
        { name: 'orders', description: 'Orders partners place with us' },
        { name: 'invoices', description: 'Invoices partners send us, as JSON or UBL 2.1 XML' },
        { name: 'batches', description: 'Many orders and invoices in one NDJSON request' },
        { name: 'submissions', description: 'Status of everything submitted' },
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'webhooks', description: 'Signed callbacks: endpoints, secrets, deliveries, redelivery' },
        { name: 'admin', description: 'Operator actions (admin token)' },
      ],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(metricsPlugin);
  await app.register(requestLogPlugin);
  await app.register(servicesPlugin, options);
  await app.register(authPlugin);
  await app.register(rateLimitPlugin);
  await app.register(contentTypesPlugin);
  await app.register(workflowSweeperPlugin);

  await app.register(healthRoutes);
  await app.register(orderRoutes);
  await app.register(invoiceRoutes);
  await app.register(batchRoutes);
  await app.register(submissionRoutes);
  await app.register(documentRoutes);
  await app.register(adminApprovalRoutes);
  await app.register(codecRoutes);
  await app.register(webhookEndpointRoutes);
  await app.register(webhookDeliveryRoutes);
  return app;
}
