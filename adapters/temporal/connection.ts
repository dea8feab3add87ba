/**
 * The one place that opens Temporal connections (API, workers, CLI, scripts, tests, benchmarks). Address,
 * namespace, TLS with client certificates, API key and gRPC metadata come from the config (Temporal's environment
 * configuration: TOML profile and TEMPORAL_* variables); every client and worker gets the payload codec and the
 * failure converter that encodes error messages.
 */
import { Client, Connection, type ConnectionLike } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import path from 'node:path';
import type { Config } from '../../config';
import { LazyNativeConnection } from './lazy-native-connection';
import { AesGcmPayloadCodec } from './payload-codec';
import { resolvePayloadKeys } from './payload-keys';

/** What a connection needs from the config. */
export type TemporalSettings = Pick<Config, 'temporal' | 'payloads' | 'production'>;

/** Module with the `failureConverter` export, for `failureConverterPath` and `bundleWorkflowCode`. */
export const FAILURE_CONVERTER_PATH = path.join(__dirname, 'failure-converter.cjs');

/** The data converter of every client and worker: AES-256-GCM payloads, encoded failure messages. */
export function dataConverterFor(config: Pick<Config, 'payloads' | 'production'>): DataConverter {
  return {
    payloadCodecs: [new AesGcmPayloadCodec(resolvePayloadKeys(config))],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}

/** Wraps an open connection in a client of the configured namespace with our data converter. */
export function clientFor(config: TemporalSettings, connection: ConnectionLike): Client {
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(config) });
}

/** Connects a client now (fails fast when Temporal is unreachable). Close with `client.connection.close()`. */
export async function connectClient(config: TemporalSettings, connectTimeoutMs?: number): Promise<Client> {
  const connection = await Connection.connect({ ...config.temporal.connection, connectTimeout: connectTimeoutMs });
  return clientFor(config, connection);
}

/**
 * Options of every native connection (workers, the API's client): the configured address, TLS and keys, and gzip
 * only when TEMPORAL_GRPC_COMPRESSION asks for it (the SDK's default is gzip; our payloads are ciphertext).
 */
export function nativeConnectionOptions(config: TemporalSettings): NativeConnectionOptions {
  return { ...config.temporal.connection, grpcCompression: { codec: config.temporal.grpcCompression } };
}

/**
 * A client whose connection opens on first use, so a server can start before Temporal is reachable. It speaks over
 * the native transport the workers use, which costs about half the CPU per call of the JavaScript gRPC client.
 */
export function lazyClient(config: TemporalSettings): Client {
  return clientFor(config, new LazyNativeConnection(nativeConnectionOptions(config)));
}

/** Connects, runs `fn` with a client, closes. */
export async function withClient<T>(config: TemporalSettings, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(config);
  try {
    return await fn(client);
  } finally {
    await client.connection.close();
  }
}

/** The native connection workers poll on. */
export function connectWorkerConnection(config: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect(nativeConnectionOptions(config));
}

/** True when a Temporal frontend answers with these connection settings (`config.temporal.connection`). */
export async function temporalReachable(
  settings: Config['temporal']['connection'],
  timeoutMs = 1_000,
): Promise<boolean> {
  try {
    const connection = await Connection.connect({ ...settings, connectTimeout: timeoutMs });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}
