/**
 * A real stack for integration tests: the Temporal dev server built from the Temporal CLI (through
 * TestWorkflowEnvironment.createLocal), the run's PostgreSQL database, the workers of every queue, and the API.
 * The workflow bundle is built once per test file.
 */
import { Runtime, DefaultLogger, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { inject } from 'vitest';
import { dataConverterFor } from '../../adapters/temporal/connection';
import { build } from '../../api/app';
import type { Config } from '../../config';
import { type TaskQueue } from '../../contracts';
import { createPool } from '../../db/pool';
import { createDependencies, type WorkerDependencies } from '../../worker/dependencies';
import { createWorkers, type ActivityOverrides } from '../../worker/workers';
import { bundleWorkflows as bundleWithConverters, type WorkflowBundle } from '../../worker/bundle';
import { testConfig } from './config';
import { startLocalTemporal } from '../../scripts/stack/local-temporal';

let runtimeInstalled = false;

/** The workflow bundle, with the failure converter workers use (once per file: call in beforeAll). */
export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWithConverters();
}

/**
 * Starts a Temporal dev server from the built CLI with our search attributes; its client encrypts payloads with
 * the test key like every client of the service.
 */
export async function startTemporal(
  options: { ui?: boolean; uiPort?: number; port?: number; codecEndpoint?: string } = {},
): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  return startLocalTemporal(inject('temporalCli'), {
    ui: options.ui,
    uiPort: options.uiPort,
    port: options.port,
    // The UI decodes payloads through the API's codec endpoint (the test makes the API listen there).
    extraArgs: options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : [],
    dataConverter: dataConverterFor(testConfig()),
  });
}

/** A running stack for one test file. */
export interface TestStack {
  env: TestWorkflowEnvironment;
  config: Config;
  pool: pg.Pool;
  deps: WorkerDependencies;
  app: FastifyInstance;
  /** Starts workers (all queues unless given); returns a function that stops them. */
  startWorkers(options?: { queues?: TaskQueue[]; activityOverrides?: ActivityOverrides }): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Starts Temporal, opens the database, builds the API; workers are started by the test. */
export async function startStack(
  options: {
    env?: Record<string, string>;
    deps?: Partial<WorkerDependencies>;
    bundle?: WorkflowBundle;
    ui?: boolean;
    uiPort?: number;
    codecEndpoint?: string;
  } = {},
): Promise<TestStack> {
  const [env, bundle] = await Promise.all([
    startTemporal({ ui: options.ui, uiPort: options.uiPort, codecEndpoint: options.codecEndpoint }),
    options.bundle ?? bundleWorkflows(),
  ]);
  const config = testConfig({ TEMPORAL_ADDRESS: env.address, ...options.env });
  const pool = createPool(config.databaseUrl);
  const deps = { ...createDependencies(config, pool, env.client), ...options.deps };
  // The API opens its own Temporal client from the config, as in production.
  const app = await build({ config, pool });
  const running: Set<() => Promise<void>> = new Set();

  async function startWorkers(o: { queues?: TaskQueue[]; activityOverrides?: ActivityOverrides } = {}) {
    const workers: Worker[] = await createWorkers({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      dataConverter: dataConverterFor(config),
      deps,
      queues: o.queues,
      workflowBundle: bundle,
      activityOverrides: o.activityOverrides,
    });
    const runs = workers.map((w) => w.run());
    const stop = async (): Promise<void> => {
      running.delete(stop);
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.allSettled(runs);
    };
    running.add(stop);
    return stop;
  }

  return {
    env,
    config,
    pool,
    deps,
    app,
    startWorkers,
    async close() {
      for (const stop of [...running]) await stop();
      await app.close();
      deps.mailer.close();
      await pool.end();
      await env.teardown();
    },
  };
}

/** Polls `fn` until it returns a truthy value or the time is up. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false | null>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The parts of a status document the tests read. */
export interface StatusBody {
  id: string;
  status: string;
  steps: { name: string; status: string; attempts: number; lastError: string | null }[];
  result: Record<string, unknown> | null;
  links: Record<string, string>;
}

/** Posts an order as the partner and returns the accepted submission's id (fails the test unless 202). */
export async function postOrder(
  app: FastifyInstance,
  auth: { authorization: string },
  order: unknown,
): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/orders', headers: auth, payload: order as object });
  if (res.statusCode !== 202) throw new Error(`POST /v1/orders answered ${res.statusCode}: ${res.body}`);
  return res.json<{ id: string }>().id;
}

/** Polls the submission's status document until `until` holds, and returns it. */
export function statusWhen(
  app: FastifyInstance,
  auth: { authorization: string },
  id: string,
  until: (body: StatusBody) => boolean,
): Promise<StatusBody> {
  return eventually(async () => {
    const body = (await app.inject({ url: `/v1/submissions/${id}`, headers: auth })).json<StatusBody>();
    return until(body) ? body : undefined;
  });
}

/** True when the named step has the given status. */
export const stepIs =
  (name: string, status: string) =>
  (body: StatusBody): boolean =>
    body.steps.some((s) => s.name === name && s.status === status);
