/** API entry: `npm run api`. Listens, and closes gracefully on SIGINT/SIGTERM. */
import { Runtime } from '@temporalio/worker';
import { sdkLogger } from '../adapters/temporal/sdk-logger';
import { loadConfig } from '../config';
import { build } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  // The Temporal client's native connection runs in the SDK's runtime: its warnings go to our log, and this entry,
  // not the runtime, handles the signals.
  Runtime.install({ logger: sdkLogger(config), shutdownSignals: [] });
  const transport =
    config.logFormat === 'pretty'
      ? {
          target: 'pino-pretty',
          // One line per request: the message says it all, the fields stay in the JSON logs.
          options: {
            colorize: true,
            ignore: 'pid,hostname,reqId,method,route,statusCode,responseTimeMs,partnerId,submissionId,workflowId',
          },
        }
      : undefined;
  const app = await build({ config, logger: { level: config.logLevel, transport } });
  // Closes once, however many signals arrive: in a terminal one Ctrl-C comes twice (the process group's and npm's
  // forwarded copy), and a signal with no listener left would kill the process with requests still in flight.
  let closing: Promise<void> | undefined;
  const close = (signal: string): void => {
    if (closing) return;
    app.log.info({ signal }, 'shutting down');
    // A keep-alive connection busy when the close began turns idle once its answer is sent, and would hold the
    // close until its keep-alive timeout: such connections are closed as they turn idle.
    const idle = setInterval(() => app.server.closeIdleConnections(), 100);
    closing = app.close().then(() => {
      clearInterval(idle);
      process.exit(0);
    });
  };
  process.on('SIGINT', () => close('SIGINT'));
  process.on('SIGTERM', () => close('SIGTERM'));
  await app.listen({ host: config.api.host, port: config.api.port });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
