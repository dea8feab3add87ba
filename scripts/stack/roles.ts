/** The service's own processes for `npm start` and `npm run start:cluster`: the API and worker processes. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { codecUiToken } from '../../api/admin-token';
import type { Config } from '../../config';
import type { TaskQueue } from '../../contracts';
import { startProcess, type Managed } from './processes';

const ROOT = path.join(__dirname, '..', '..');

/** Starts `api/server.ts` and one `worker/main.ts` per entry of `workers` (its queues; undefined: all). */
export function startRoles(env: NodeJS.ProcessEnv, workers: { name: string; queues?: TaskQueue[] }[]): Managed[] {
  // node with tsx's loader is one process per role, so a stop signal reaches the role itself.
  const role = (file: string, args: string[] = []): string[] => ['--import', 'tsx', path.join(ROOT, file), ...args];
  return [
    ...workers.map((w) =>
      startProcess(
        w.name,
        process.execPath,
        role(
          'worker/main.ts',
          (w.queues ?? []).flatMap((q) => ['--queue', q]),
        ),
        env,
      ),
    ),
    startProcess('api', process.execPath, role('api/server.ts'), env),
  ];
}

/** ADMIN_TOKEN, or (development) one generated into the data folder, so the UI can call the codec. */
export function adminTokenFor(config: Config): { token: string; generatedAt?: string } {
  if (config.admin.token) return { token: config.admin.token };
  if (config.production) throw new Error('ADMIN_TOKEN is required in production');
  const file = path.join(config.dataDir, 'admin-token');
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  return { token: fs.readFileSync(file, 'utf8').trim(), generatedAt: file };
}

/** The codec endpoint the Temporal UI is given (its token opens the codec only). */
export function uiCodecEndpoint(config: Config, adminToken: string): string {
  return `http://localhost:${config.api.port}/codec/ui/${config.codec.uiToken ?? codecUiToken(adminToken)}`;
}
