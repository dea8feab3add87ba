/** `npm run setup`: namespace, search attributes and the daily billing Schedule on the configured Temporal. */
import { temporalReachable, withClient } from '../adapters/temporal/connection';
import { loadConfig } from '../config';
import { setupTemporal } from './stack/setup';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = (line: string) => console.log(`[setup] ${line}`);
  log(`Temporal at ${config.temporal.address}, namespace ${config.temporal.namespace}`);
  // Started next to the server (docker-compose): wait until it answers.
  const deadline = Date.now() + 120_000;
  while (!(await temporalReachable(config.temporal.connection, 2_000))) {
    if (Date.now() > deadline)
      throw new Error(`no Temporal server answered at ${config.temporal.address} in 2 minutes`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  await withClient(config, (client) => setupTemporal(client, { log }));
}

main().catch((err: unknown) => {
  console.error(`[setup] failed: ${(err as Error).message}`);
  process.exit(1);
});
