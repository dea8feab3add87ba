/**
 * `npm run setup`'s work, run by `npm start`, `npm run start:cluster` and docker-compose: the namespace (the
 * production server creates none), our search attributes, and the daily billing Schedule. Idempotent.
 */
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { msToTs } from '@temporalio/common/lib/time';
import { searchAttributeDefinitions } from '../../contracts';
import { ensureBillingSchedule } from './billing-schedule';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
// gRPC status codes.
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

/** What the setup did. */
export interface SetupResult {
  namespaceCreated: boolean;
  searchAttributesAdded: string[];
  schedule: { scheduleId: string; created: boolean };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ensureNamespace(client: Client, namespace: string, retentionDays: number): Promise<boolean> {
  const service = client.connection.workflowService;
  try {
    await service.describeNamespace({ namespace });
    return false;
  } catch (err) {
    if (!isGrpcServiceError(err) || err.code !== NOT_FOUND) throw err;
  }
  try {
    await service.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(retentionDays * 86_400_000),
    });
  } catch (err) {
    if (!isGrpcServiceError(err) || err.code !== ALREADY_EXISTS) throw err;
  }
  return true;
}

async function ensureSearchAttributes(client: Client, namespace: string): Promise<string[]> {
  const operator = client.connection.operatorService;
  const existing = await operator.listSearchAttributes({ namespace });
  const missing = Object.keys(searchAttributeDefinitions).filter((name) => !(name in existing.customAttributes));
  if (missing.length === 0) return [];
  try {
    await operator.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
    });
  } catch (err) {
    if (!isGrpcServiceError(err) || err.code !== ALREADY_EXISTS) throw err;
  }
  return missing;
}

/** Retries `fn` while the server has not caught up with a just-created namespace or search attribute. */
async function whenVisible<T>(what: string, fn: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const message = String((err as Error).message ?? err);
      const catchingUp = /namespace|search attribute|not found|unknown/i.test(message);
      if (!catchingUp || Date.now() > deadline) throw new Error(`${what}: ${message}`, { cause: err });
      await sleep(1_000);
    }
  }
}

/** Namespace, search attributes, billing schedule; `log` says what changed. */
export async function setupTemporal(
  client: Client,
  options: { retentionDays?: number; log?: (line: string) => void } = {},
): Promise<SetupResult> {
  const log = options.log ?? (() => undefined);
  const namespace = client.options.namespace;
  const namespaceCreated = await ensureNamespace(client, namespace, options.retentionDays ?? 30);
  if (namespaceCreated) log(`namespace ${namespace} registered`);
  const searchAttributesAdded = await whenVisible(`search attributes of ${namespace}`, () =>
    ensureSearchAttributes(client, namespace),
  );
  if (searchAttributesAdded.length) log(`search attributes added: ${searchAttributesAdded.join(', ')}`);
  // The schedule's action carries a search attribute: it is accepted once the server sees the new attributes.
  const schedule = await whenVisible('billing schedule', () => ensureBillingSchedule(client));
  log(`billing schedule ${schedule.scheduleId} ${schedule.created ? 'created' : 'updated'} (daily 01:00 UTC)`);
  return { namespaceCreated, searchAttributesAdded, schedule };
}
