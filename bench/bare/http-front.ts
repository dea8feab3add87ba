/**
 * The floor of any HTTP front to the engine, for the intake's comparison (`npm run bench`): a process of its own, as
 * the API is, with the API's Temporal client, that answers each POST with one bare start and a 202. No framework, no
 * schema, no authentication, no database: what it costs over bare starts is what any HTTP hop costs.
 */
import http from 'node:http';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { lazyClient } from '../../adapters/temporal/connection';
import { loadConfig } from '../../config';
import { bareStartOptions } from '../sections/engine';

function main(): void {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const client = lazyClient(config);
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(req.url === '/healthz' ? 200 : 404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          // Parsed as any front parses the body it is given; the start carries only ids, as the service's does.
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
          const handle = await client.workflow.start('bareShapeWorkflow', bareStartOptions('http'));
          const body = JSON.stringify({ id: handle.workflowId, status: 'received' });
          res.writeHead(202, { 'content-type': 'application/json' }).end(body);
        } catch (err) {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
        }
      })();
    });
  });
  server.listen(config.api.port, config.api.host);
  process.once('SIGTERM', () => {
    server.close();
    void client.connection.close().finally(() => process.exit(0));
  });
}

main();
