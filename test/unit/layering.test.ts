/**
 * The layers read downwards only, and no module imports itself back, type-only imports included (a type cycle is
 * still a cycle for a reader). Imports are read with TypeScript's own pre-processor, so `import type` and
 * `export ... from` count.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Which top-level folders each layer may import; folders not listed (test, scripts, bench) may import anything. */
const ALLOWED: Record<string, string[]> = {
  contracts: [],
  config: [],
  domain: ['contracts'],
  db: ['contracts', 'domain', 'config'],
  adapters: ['contracts', 'domain', 'config', 'db'],
  services: ['contracts', 'domain', 'config', 'db', 'adapters'],
  activities: ['contracts', 'domain', 'config', 'db', 'adapters', 'services'],
  // Workflows import activities as types only; ESLint's no-restricted-imports (allowTypeImports) checks that part.
  workflows: ['contracts', 'domain', 'activities'],
  worker: ['contracts', 'domain', 'config', 'db', 'adapters', 'services', 'activities'],
  api: ['contracts', 'domain', 'config', 'db', 'adapters', 'services'],
  cli: ['contracts', 'domain', 'config', 'db', 'adapters', 'services'],
};

/** Packages that do I/O or are not deterministic; pure rules in domain/ must not reach for them. */
const IO_PACKAGES =
  /^(node:|fs$|path$|crypto$|http|net$|os$|child_process$|pg$|@temporalio\/(client|worker|activity)|nodemailer|fastify|@fastify\/|stripe|pdfkit|standardwebhooks)/;

interface ModuleImports {
  local: string[];
  packages: string[];
}

function sourceFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f !== '' && !f.startsWith('test/') && existsSync(path.join(root, f)));
}

function importsOf(file: string): ModuleImports {
  const info = ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true);
  const local: string[] = [];
  const packages: string[] = [];
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) {
      packages.push(fileName);
      continue;
    }
    const base = path.normalize(path.join(path.dirname(file), fileName));
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((c) => existsSync(path.join(root, c)));
    if (target) local.push(target);
  }
  return { local, packages };
}

const graph = new Map(sourceFiles().map((f) => [f, importsOf(f)] as const));
const layerOf = (file: string): string => file.split('/')[0] ?? file;

/** Strongly connected components of more than one module (Tarjan), i.e. the import cycles. */
function cycles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.local ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('layering', () => {
  it('reads the source tree', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('services/submissions.ts')?.local).toContain('db/submissions.ts');
  });

  it('imports only downwards: api/cli -> services -> db/adapters -> domain -> contracts', () => {
    const wrong: string[] = [];
    for (const [file, { local }] of graph) {
      const allowed = ALLOWED[layerOf(file)];
      if (!allowed) continue;
      for (const target of local) {
        const layer = layerOf(target);
        if (layer !== layerOf(file) && !allowed.includes(layer)) wrong.push(`${file} -> ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps domain/ pure: no Node built-ins, database, Temporal client, mail, HTTP or crypto packages', () => {
    const wrong = [...graph]
      .filter(([file]) => layerOf(file) === 'domain')
      .flatMap(([file, { packages }]) => packages.filter((p) => IO_PACKAGES.test(p)).map((p) => `${file} -> ${p}`));
    expect(wrong).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cycles()).toEqual([]);
  });
});
