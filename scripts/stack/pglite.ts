/** The embedded database: PGlite with its files in the data folder, served over the PostgreSQL wire protocol. */
import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
import { servePglite } from './pglite-server';

/** A running embedded database. */
export interface EmbeddedDatabase {
  port: number;
  stop(): Promise<void>;
}

/** Opens PGlite at `dataDir` and serves it on 127.0.0.1:`port` to any number of pool connections. */
export async function startPglite(options: { dataDir: string; port: number }): Promise<EmbeddedDatabase> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = await servePglite(db, options.port);
  return {
    port: server.port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
