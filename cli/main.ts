/**
 * Admin CLI: `npm run cli -- <resource> <action> [--flags]`. Prints one JSON line on stdout; errors go to stderr
 * with exit code 2 for wrong usage and 1 for failures.
 */
import { loadConfig } from '../config';
import { createPool } from '../db/pool';
import { parseArgs, UsageError } from './args';
import { invoiceCommand } from './commands/approval';
import { keyCommand, partnerCommand } from './commands/partner';
import { billingCommand } from './commands/billing';
import { subscriptionCommand } from './commands/subscription';

const USAGE =
  'usage: cli partner create --name NAME [billing flags] | partner list | partner billing --partner ID ... | ' +
  'key create|list|revoke ... | invoice approve|reject ... | ' +
  'subscription create|list|cancel ... | billing run ...';

async function main(argv: string[]): Promise<void> {
  const { words, flags } = parseArgs(argv);
  const [resource, action] = words;
  const config = loadConfig();
  const pool = createPool(config.databaseUrl, 2);
  try {
    let out: unknown;
    switch (resource) {
      case 'partner':
        out = await partnerCommand(pool, action, flags);
        break;
      case 'key':
        out = await keyCommand(pool, action, flags);
        break;
      case 'invoice':
        out = await invoiceCommand(config, pool, action, flags);
        break;
      case 'subscription':
        out = await subscriptionCommand(pool, action, flags);
        break;
      case 'billing':
        out = await billingCommand(config, action, flags);
        break;
      default:
        throw new UsageError(USAGE);
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
});
