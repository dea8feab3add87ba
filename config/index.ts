/**
 * The one place that reads the environment. Everything else receives a `Config`.
 * Values are validated once at start-up so a typo fails fast with a message that names the variable.
 */
import { loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import path from 'node:path';

/** Validated service configuration. */
export interface Config {
  /**
   * Body limits: `bodyLimitBytes` for batches, `documentBodyLimitBytes` for one order, `invoiceBodyLimitBytes` for one
   * invoice or credit note (its embedded attachments travel in it, base64); every other route takes at most 64 KiB.
   */
  api: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    documentBodyLimitBytes: number;
    invoiceBodyLimitBytes: number;
    publicBaseUrl: string;
    /**
     * API_KEY_CACHE: how long a verified key is kept in memory (0: looked up on every request). Kept only while key
     * changes are announced to the process; never with the embedded database.
     */
    keyCacheMs: number;
  };
  temporal: TemporalConfig;
  /** AES-256-GCM keys of the payload codec: given (PAYLOAD_KEYS), or a key file in the data folder (development). */
  payloads: PayloadKeysConfig;
  /** The production Temporal server of `start:cluster` / `test:cluster`: binaries (else found or built), shards. */
  cluster: { serverPath?: string; sqlToolPath?: string; uiServerPath?: string; historyShards: number };
  /** WORKFLOW_BUNDLE: a workflow bundle built ahead of time (`npm run build:workflows`); unset bundles at start. */
  workflowBundlePath?: string;
  /** APP_ENV=production: nothing is generated or defaulted that would be unsafe (the payload and webhook keys must be given). */
  production: boolean;
  /** DATABASE_URL, or the address of the embedded PGlite when it is unset. */
  databaseUrl: string;
  /** True when DATABASE_URL is unset: `npm start` serves PGlite over the wire protocol at `databaseUrl`. */
  embeddedDatabase: boolean;
  pglite: { port: number; dataDir: string };
  dataDir: string;
  logLevel: string;
  /** `pretty` for people at a terminal (npm start), `json` for log collectors. */
  logFormat: 'json' | 'pretty';
  email: { smtpUrl?: string; outboxDir: string; from: string; teamAddress: string; ownerAddress: string };
  payments: { provider: 'default' | 'stripe'; stripeSecretKey?: string };
  /** Per partner per window; `failedAuthPerIp`: failed key lookups one client IP may cause per window. */
  rateLimit: {
    max: number;
    windowMs: number;
    failedAuthPerIp: number;
    /** Requests per client address on partner routes before authentication, per process (RATE_LIMIT_PER_IP). */
    perIp: number;
  };
  webhooks: {
    /** Hosts or CIDR ranges that may be dialled although private or loopback (local development and tests). */
    allowList: string[];
    timeoutMs: number;
    /** Retry schedule in milliseconds, after the first immediate attempt. */
    retryScheduleMs: number[];
    maxResponseBytes: number;
    rotationGraceMs: number;
    disableAfterFailingMs: number;
    /** Most endpoints one partner may register (WEBHOOK_MAX_ENDPOINTS). */
    maxEndpointsPerPartner: number;
    /** Base64 of 32 bytes (WEBHOOK_SECRET_KEY): signing secrets are stored AES-256-GCM encrypted with it. */
    secretKey?: string;
    /** Development only: where a generated key is kept when WEBHOOK_SECRET_KEY is unset. */
    secretKeyFile: string;
  };
  approvals: { reminderAfterMs: number; escalateAfterMs: number; autoRejectAfterMs: number };
  /** ADMIN_TOKEN guards the admin routes; unset disables them. */
  admin: { token?: string };
  /** The codec endpoint (/codec/decode|encode): origins of the Temporal UIs allowed to call it from a browser. */
  codec: {
    corsOrigins: string[];
    /** CODEC_UI_TOKEN: the token in the UI's codec endpoint path (default: derived from ADMIN_TOKEN). */
    uiToken?: string;
  };
  /** Workflow starts of stored submissions: batch start concurrency, and the sweeper that retries missed starts. */
  intake: {
    startConcurrency: number;
    sweepIntervalMs: number;
    sweepAfterMs: number;
    idempotencyWaitMs: number;
    idempotencyTtlMs: number;
  };
}

/** How to reach Temporal: what `@temporalio/envconfig` reads (TOML profile, then TEMPORAL_* variables). */
export interface TemporalConfig {
  address: string;
  namespace: string;
  /** Address, TLS (client certificates, CA, server name), API key and gRPC metadata, for either kind of connection. */
  connection: Pick<NativeConnectionOptions, 'address' | 'tls' | 'apiKey' | 'metadata'> & { address: string };
  /**
   * gRPC compression of the native connections (workers, the API's client). Off by default: every payload is
   * AES-GCM ciphertext, which does not compress, so gzip only costs CPU at both ends (TEMPORAL_GRPC_COMPRESSION).
   */
  grpcCompression: 'none' | 'gzip';
  cliPath?: string;
}

/** One AES-256-GCM key with the id written into every payload it encrypts. */
export interface PayloadKey {
  id: string;
  key: Buffer;
}

/** The codec's keys: the first encrypts, all decrypt (rotation). `keyFile` is used when none are given. */
export interface PayloadKeysConfig {
  keys?: PayloadKey[];
  /** Development only: where a generated key is kept when PAYLOAD_KEYS is unset. */
  keyFile: string;
}

/** Raised when the environment holds a value we cannot use. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function str(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = str(env, name, fallback);
  if (!(values as readonly string[]).includes(raw))
    throw new ConfigError(`${name} must be ${values.map((v) => `"${v}"`).join(' or ')}, got "${raw}"`);
  return raw as T;
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function durations(env: Env, name: string, fallback: number[]): number[] {
  const raw = optional(env, name);
  if (!raw) return fallback;
  const values = raw.split(',').map((part) => parseDuration(name, part.trim()));
  return values;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `500ms`, `5s`, `2h`, `3d` or plain milliseconds. */
export function parseDuration(name: string, raw: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(raw);
  if (!match) throw new ConfigError(`${name} must be a duration like 500ms, 5s, 5m, 2h or 3d, got "${raw}"`);
  return Number(match[1]) * UNITS[match[2] ?? 'ms']!;
}

function duration(env: Env, name: string, fallback: string): number {
  return parseDuration(name, str(env, name, fallback));
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = optional(env, name);
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function adminToken(env: Env): string | undefined {
  const token = optional(env, 'ADMIN_TOKEN');
  if (token !== undefined && token.length < 16) throw new ConfigError('ADMIN_TOKEN must be at least 16 characters');
  return token;
}

function secretOfAtLeast16(env: Env, name: string): string | undefined {
  const token = optional(env, name);
  if (token !== undefined && token.length < 16) throw new ConfigError(`${name} must be at least 16 characters`);
  return token;
}

function key32(env: Env, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw && Buffer.from(raw, 'base64').length !== 32) {
    throw new ConfigError(`${name} must be base64 of 32 random bytes (openssl rand -base64 32)`);
  }
  return raw;
}

/** Parses `id:base64,id:base64` (the first key encrypts); ids name the key in each payload's metadata. */
export function parsePayloadKeys(name: string, raw: string): PayloadKey[] {
  const keys = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^([A-Za-z0-9._-]{1,64}):(.+)$/.exec(part);
      const key = match ? Buffer.from(match[2]!, 'base64') : undefined;
      if (!match || key?.length !== 32) {
        throw new ConfigError(
          `${name} must be a comma-separated list of id:key, each key base64 of 32 random bytes ` +
            '(e.g. k1:$(openssl rand -base64 32)); the first key encrypts, all decrypt',
        );
      }
      return { id: match[1]!, key };
    });
  if (keys.length === 0) throw new ConfigError(`${name} holds no key`);
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new ConfigError(`${name} repeats a key id`);
  return keys;
}

function temporalConfig(env: Env): TemporalConfig {
  // Temporal's own environment configuration: a TOML profile (TEMPORAL_CONFIG_FILE or the user's default file,
  // TEMPORAL_PROFILE) overridden by TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* ...
  const defined = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => !!e[1]));
  let connect;
  try {
    connect = toClientOptions(loadClientConfigProfile({ overrideEnvVars: defined }));
  } catch (err) {
    throw new ConfigError(
      `Temporal client configuration (TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE / TEMPORAL_TLS_*): ${
        (err as Error).message
      }`,
    );
  }
  const address = connect.connectionOptions.address ?? 'localhost:7233';
  return {
    address,
    namespace: connect.namespace ?? 'default',
    connection: { ...connect.connectionOptions, address },
    grpcCompression: oneOf(env, 'TEMPORAL_GRPC_COMPRESSION', ['none', 'gzip'] as const, 'none'),
    cliPath: optional(env, 'TEMPORAL_CLI'),
  };
}

/** Reads and validates the configuration from an environment (defaults to `process.env`). */
export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(str(env, 'DATA_DIR', '.data'));
  const apiPort = int(env, 'API_PORT', 3000, 0, 65535);
  const pglitePort = int(env, 'PGLITE_PORT', 5433, 1, 65535);
  if (pglitePort === 5432)
    throw new ConfigError('PGLITE_PORT must not be 5432: that port belongs to a real PostgreSQL');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const provider = oneOf(env, 'PAYMENT_PROVIDER', ['default', 'stripe'] as const, 'default');
  const appEnv = oneOf(env, 'APP_ENV', ['development', 'production'] as const, 'development');
  const production = appEnv === 'production';
  const rawPayloadKeys = optional(env, 'PAYLOAD_KEYS');
  if (production && !rawPayloadKeys) {
    throw new ConfigError(
      'APP_ENV=production needs PAYLOAD_KEYS (id:base64 of 32 bytes, e.g. k1:$(openssl rand -base64 32)): ' +
        'partner data in Temporal is encrypted with it',
    );
  }
  if (production && !optional(env, 'WEBHOOK_SECRET_KEY')) {
    throw new ConfigError(
      'APP_ENV=production needs WEBHOOK_SECRET_KEY (base64 of 32 bytes, e.g. $(openssl rand -base64 32)): ' +
        'webhook signing secrets are stored encrypted with it',
    );
  }
  const stripeSecretKey = optional(env, 'STRIPE_SECRET_KEY');
  if (provider === 'stripe' && !stripeSecretKey) {
    throw new ConfigError('PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY');
  }
  return {
    api: {
      host: str(env, 'API_HOST', '0.0.0.0'),
      port: apiPort,
      bodyLimitBytes: int(env, 'API_BODY_LIMIT_BYTES', 10 * 1024 * 1024, 1024),
      documentBodyLimitBytes: int(env, 'API_DOCUMENT_BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1024),
      // One attachment of the largest size accepted (5 MiB, 6.7 MiB as base64) and the invoice around it.
      invoiceBodyLimitBytes: int(env, 'API_INVOICE_BODY_LIMIT_BYTES', 8 * 1024 * 1024, 1024),
      publicBaseUrl: str(env, 'PUBLIC_BASE_URL', `http://localhost:${apiPort}`).replace(/\/$/, ''),
      keyCacheMs: duration(env, 'API_KEY_CACHE', '1m'),
    },
    temporal: temporalConfig(env),
    payloads: {
      keys: rawPayloadKeys ? parsePayloadKeys('PAYLOAD_KEYS', rawPayloadKeys) : undefined,
      keyFile: path.resolve(str(env, 'PAYLOAD_KEY_FILE', path.join(dataDir, 'payload-keys'))),
    },
    production,
    workflowBundlePath: optional(env, 'WORKFLOW_BUNDLE'),
    cluster: {
      serverPath: optional(env, 'TEMPORAL_SERVER'),
      sqlToolPath: optional(env, 'TEMPORAL_SQL_TOOL'),
      uiServerPath: optional(env, 'TEMPORAL_UI_SERVER'),
      historyShards: int(env, 'TEMPORAL_HISTORY_SHARDS', 4, 1, 16_384),
    },
    databaseUrl: databaseUrl ?? `postgres://postgres@127.0.0.1:${pglitePort}/postgres`,
    embeddedDatabase: databaseUrl === undefined,
    pglite: { port: pglitePort, dataDir: path.resolve(str(env, 'PGLITE_DIR', path.join(dataDir, 'pglite'))) },
    dataDir,
    logLevel: str(env, 'LOG_LEVEL', 'info'),
    logFormat: str(env, 'LOG_FORMAT', 'json') === 'pretty' ? 'pretty' : 'json',
    email: {
      smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
      outboxDir: path.resolve(str(env, 'OUTBOX_DIR', path.join(dataDir, 'outbox'))),
      from: str(env, 'EMAIL_FROM', 'Partner Workflows <no-reply@partner-workflows.local>'),
      teamAddress: str(env, 'TEAM_EMAIL', 'team@partner-workflows.local'),
      ownerAddress: str(env, 'OWNER_EMAIL', 'owner@partner-workflows.local'),
    },
    payments: { provider, stripeSecretKey },
    rateLimit: {
      failedAuthPerIp: int(env, 'RATE_LIMIT_FAILED_AUTH', 30, 1),
      max: int(env, 'RATE_LIMIT_MAX', 300, 1),
      // Many partners may sit behind one address (NAT): ten partners' worth by default.
      perIp: int(env, 'RATE_LIMIT_PER_IP', 10 * int(env, 'RATE_LIMIT_MAX', 300, 1), 1),
      windowMs: duration(env, 'RATE_LIMIT_WINDOW', '1m'),
    },
    webhooks: {
      allowList: (optional(env, 'WEBHOOK_ALLOW_LIST') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      timeoutMs: duration(env, 'WEBHOOK_TIMEOUT', '15s'),
      retryScheduleMs: durations(
        env,
        'WEBHOOK_RETRY_SCHEDULE',
        [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      ),
      maxResponseBytes: int(env, 'WEBHOOK_MAX_RESPONSE_BYTES', 64 * 1024, 0),
      rotationGraceMs: duration(env, 'WEBHOOK_ROTATION_GRACE', '24h'),
      disableAfterFailingMs: duration(env, 'WEBHOOK_DISABLE_AFTER', '5d'),
      maxEndpointsPerPartner: int(env, 'WEBHOOK_MAX_ENDPOINTS', 10, 1, 1000),
      secretKey: key32(env, 'WEBHOOK_SECRET_KEY'),
      secretKeyFile: path.resolve(str(env, 'WEBHOOK_SECRET_KEY_FILE', path.join(dataDir, 'webhook-secret-key'))),
    },
    approvals: {
      reminderAfterMs: duration(env, 'APPROVAL_REMINDER_AFTER', '24h'),
      escalateAfterMs: duration(env, 'APPROVAL_ESCALATE_AFTER', '72h'),
      autoRejectAfterMs: duration(env, 'APPROVAL_AUTO_REJECT_AFTER', '14d'),
    },
    admin: { token: adminToken(env) },
    codec: {
      uiToken: secretOfAtLeast16(env, 'CODEC_UI_TOKEN'),
      corsOrigins: list(
        optional(env, 'CODEC_CORS_ORIGINS') ??
          'http://localhost:8233,http://127.0.0.1:8233,http://localhost:8080,http://127.0.0.1:8080',
      ),
    },
    intake: {
      startConcurrency: int(env, 'INTAKE_START_CONCURRENCY', 16, 1, 256),
      /** 0 turns the sweeper off. */
      sweepIntervalMs: duration(env, 'INTAKE_SWEEP_INTERVAL', '1m'),
      sweepAfterMs: duration(env, 'INTAKE_SWEEP_AFTER', '5m'),
      /** How long a duplicate Idempotency-Key request waits for the first one's answer before 409. */
      idempotencyWaitMs: duration(env, 'INTAKE_IDEMPOTENCY_WAIT', '10s'),
      /** How long an Idempotency-Key is remembered (kept in PostgreSQL, independent of Temporal's retention). */
      idempotencyTtlMs: duration(env, 'INTAKE_IDEMPOTENCY_TTL', '30d'),
    },
  };
}
