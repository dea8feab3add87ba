/** The compose file cannot run here (no Docker engine), so its shape is checked instead. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../config';
import { searchAttributeDefinitions } from '../../contracts';

const root = path.join(__dirname, '..', '..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: string;
      command?: string[] | string;
      environment?: Record<string, string>;
      depends_on?: unknown;
    }
  >;
};

describe('docker-compose.yml', () => {
  it('runs postgres, Temporal on postgres, the UI, the API and the worker', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'api', 'worker']),
    );
    expect(compose.services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) continue;
      expect(service.image, name).toMatch(/^[\w./-]+:\d[\w.-]*$/);
    }
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:\d+\.\d+/m);
  });

  it('starts the API and the worker with npm scripts that exist and an environment the config accepts', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    for (const name of ['api', 'worker', 'migrate']) {
      const service = compose.services[name]!;
      expect(service.build).toBe('.');
      const command = service.command as string[];
      expect(scripts[command[2]!], `${name}: npm run ${command[2]}`).toBeDefined();
      expect(() => loadConfig(service.environment)).not.toThrow();
      expect(loadConfig(service.environment).embeddedDatabase).toBe(false);
    }
  });

  it('registers every search attribute the workflows use', () => {
    const setup = JSON.stringify(compose.services['temporal-setup']);
    for (const name of Object.keys(searchAttributeDefinitions)) expect(setup).toContain(name);
  });
});
