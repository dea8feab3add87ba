/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
import { loadConfig } from '../config';
import { migrate } from './migrate';
import { createPool } from './pool';

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = createPool(config.databaseUrl, 1);
  try {
    const applied = await migrate(pool);
    console.log(JSON.stringify({ applied }));
  } finally {
    await pool.end();
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exitCode = 1;
});
