/** API entry: `npm run api`. Listens, and closes gracefully on SIGINT/SIGTERM. */
import { loadConfig } from '../config';
import { build } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const transport =
    config.logFormat === 'pretty'
      ? { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } }
      : undefined;
  const app = await build({ config, logger: { level: config.logLevel, transport } });
  const close = async (signal: string): Promise<void> => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ host: config.api.host, port: config.api.port });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
