/** The compose file cannot run here (no Docker engine), so its shape is checked instead. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../config';
import { TaskQueues } from '../../contracts';

interface Service {
  image?: string;
  build?: string;
  command?: string[] | string;
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: unknown;
  ports?: string[];
}

const root = path.join(__dirname, '..', '..');
const text = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(text, { merge: true }) as { services: Record<string, Service> };
const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;

/** What `docker compose` does with `${VAR:?message}` and `${VAR:-default}`, given the operator's secrets. */
function interpolate(environment: Record<string, string> = {}, secrets: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(environment).map(([k, v]) => [
      k,
      String(v).replace(/\$\{(\w+)(?::[?-][^}]*)?\}/g, (_m, name: string) => secrets[name] ?? ''),
    ]),
  );
}

const SECRETS = {
  POSTGRES_PASSWORD: 'pw',
  ADMIN_TOKEN: 'admin-token-0123456789',
  CODEC_UI_TOKEN: 'codec-ui-token-0123456789',
  PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
  WEBHOOK_SECRET_KEY: Buffer.alloc(32, 4).toString('base64'),
};

describe('docker-compose.yml', () => {
  it('runs postgres, Temporal on postgres with its schema tool, the UI, setup, API and a worker per queue', () => {
    const names = Object.keys(compose.services);
    expect(names).toEqual(
      expect.arrayContaining(['postgres', 'temporal-schema', 'temporal', 'temporal-setup', 'temporal-ui', 'api']),
    );
    expect(compose.services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(JSON.stringify(compose.services['temporal-schema'])).toMatch(/temporal-sql-tool.*update-schema/);
    for (const queue of Object.values(TaskQueues)) {
      const worker = compose.services[`worker-${queue}`];
      expect(worker?.command, queue).toEqual(['npm', 'run', 'worker', '--', '--queue', queue]);
    }
  });

  it("keeps Temporal's gRPC port off the host and gives the UI the codec endpoint", () => {
    expect(compose.services.temporal!.ports).toBeUndefined();
    const ui = interpolate(compose.services['temporal-ui']!.environment, SECRETS);
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`http://localhost:3000/codec/ui/${SECRETS.CODEC_UI_TOKEN}`);
    const api = loadConfig(interpolate(compose.services.api!.environment, SECRETS));
    expect(api.codec).toMatchObject({ uiToken: SECRETS.CODEC_UI_TOKEN, corsOrigins: ['http://localhost:8080'] });
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) continue;
      expect(service.image, name).toMatch(/^[\w./-]+:\d[\w.-]*$/);
    }
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:\d+\.\d+/m);
  });

  it('starts its own services with npm scripts that exist and a production environment the config accepts', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.build) continue;
      const command = service.command as string[];
      expect(scripts[command[2]!], `${name}: npm run ${command[2]}`).toBeDefined();
      const config = loadConfig(interpolate(service.environment, SECRETS));
      expect(config).toMatchObject({ embeddedDatabase: false, production: true });
      expect(config.payloads.keys).toHaveLength(1);
      expect(config.webhooks.secretKey, name).toBe(SECRETS.WEBHOOK_SECRET_KEY);
    }
  });

  it('takes secrets from the environment, and refuses to start without them', () => {
    for (const secret of Object.keys(SECRETS)) expect(text).toContain(`\${${secret}:?`);
    expect(() => loadConfig(interpolate(compose.services.api!.environment, {}))).toThrow();
  });
});
