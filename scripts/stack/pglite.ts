/** The embedded database: PGlite with its files in the data folder, served over the PostgreSQL wire protocol. */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import fs from 'node:fs';

/** A running embedded database. */
export interface EmbeddedDatabase {
  stop(): Promise<void>;
}

/** Opens PGlite at `dataDir` and serves it on 127.0.0.1:`port` (pool connections are multiplexed). */
export async function startPglite(options: { dataDir: string; port: number }): Promise<EmbeddedDatabase> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({ db, port: options.port, host: '127.0.0.1', maxConnections: 32 });
  await server.start();
  return {
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
