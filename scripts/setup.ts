/** `npm run setup`: namespace, search attributes and the daily billing Schedule on the configured Temporal. */
import { withClient } from '../adapters/temporal/connection';
import { loadConfig } from '../config';
import { setupTemporal } from './stack/setup';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = (line: string) => console.log(`[setup] ${line}`);
  log(`Temporal at ${config.temporal.address}, namespace ${config.temporal.namespace}`);
  await withClient(config, (client) => setupTemporal(client, { log }));
}

main().catch((err: unknown) => {
  console.error(`[setup] failed: ${(err as Error).message}`);
  process.exit(1);
});
