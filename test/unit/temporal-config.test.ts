/** How the service finds Temporal: envconfig TOML profiles and TEMPORAL_* variables, TLS, API keys; codec keys. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config';
import { nativeConnectionOptions } from '../../adapters/temporal/connection';
import { resolvePayloadKeys } from '../../adapters/temporal/payload-keys';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-temporal-config-'));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};
const KEY = Buffer.alloc(32, 1).toString('base64');

describe('Temporal connection config', () => {
  const toml = file(
    'temporal.toml',
    [
      '[profile.default]',
      'address = "localhost:7233"',
      '[profile.cloud]',
      'address = "acme.a1b2c.tmprl.cloud:7233"',
      'namespace = "acme.a1b2c"',
      'api_key = "cloud-api-key"',
      '[profile.mtls]',
      'address = "temporal.internal:7233"',
      'namespace = "partners"',
      '[profile.mtls.tls]',
      `client_cert_path = "${file('client.pem', 'CERT')}"`,
      `client_key_path = "${file('client.key', 'KEY')}"`,
      `server_ca_cert_path = "${file('ca.pem', 'CA')}"`,
      'server_name = "temporal.internal"',
    ].join('\n'),
  );

  it('reads a Temporal Cloud profile with an API key (TLS on)', () => {
    const { temporal } = loadConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud' });
    expect(temporal).toMatchObject({ address: 'acme.a1b2c.tmprl.cloud:7233', namespace: 'acme.a1b2c' });
    expect(temporal.connection).toMatchObject({ apiKey: 'cloud-api-key', tls: true });
  });

  it('reads client certificates, CA and server name of an mTLS profile', () => {
    const { temporal } = loadConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'mtls' });
    expect(temporal.namespace).toBe('partners');
    const tls = temporal.connection.tls as {
      serverNameOverride: string;
      serverRootCACertificate: Uint8Array;
      clientCertPair: { crt: Uint8Array; key: Uint8Array };
    };
    expect(tls.serverNameOverride).toBe('temporal.internal');
    expect(Buffer.from(tls.clientCertPair.crt).toString()).toBe('CERT');
    expect(Buffer.from(tls.clientCertPair.key).toString()).toBe('KEY');
    expect(Buffer.from(tls.serverRootCACertificate).toString()).toBe('CA');
  });

  it('lets TEMPORAL_* variables override the profile, and takes TLS from them alone', () => {
    const { temporal } = loadConfig({
      TEMPORAL_CONFIG_FILE: toml,
      TEMPORAL_PROFILE: 'cloud',
      TEMPORAL_NAMESPACE: 'other.a1b2c',
    });
    expect(temporal.namespace).toBe('other.a1b2c');
    const env = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, 'client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: path.join(dir, 'client.key'),
    }).temporal;
    expect(env.address).toBe('temporal.internal:7233');
    expect(env.connection.tls).toMatchObject({ clientCertPair: expect.anything() });
  });

  it('names an unknown profile', () => {
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'nope' })).toThrow(ConfigError);
  });
});

describe('payload keys', () => {
  it('parses id:key lists, the first key encrypting', () => {
    const { payloads } = loadConfig({ PAYLOAD_KEYS: `new:${KEY}, old:${Buffer.alloc(32, 2).toString('base64')}` });
    expect(payloads.keys?.map((k) => k.id)).toEqual(['new', 'old']);
    expect(() => loadConfig({ PAYLOAD_KEYS: 'k1:c2hvcnQ=' })).toThrow(/PAYLOAD_KEYS/);
    expect(() => loadConfig({ PAYLOAD_KEYS: `a:${KEY},a:${KEY}` })).toThrow(/repeats/);
  });

  it('refuses to start in production without a key', () => {
    expect(() => loadConfig({ APP_ENV: 'production' })).toThrow(/APP_ENV=production needs PAYLOAD_KEYS/);
    expect(() => loadConfig({ APP_ENV: 'production', PAYLOAD_KEYS: `k:${KEY}` })).toThrow(
      /APP_ENV=production needs WEBHOOK_SECRET_KEY/,
    );
    expect(loadConfig({ APP_ENV: 'production', PAYLOAD_KEYS: `k:${KEY}`, WEBHOOK_SECRET_KEY: KEY }).production).toBe(
      true,
    );
  });

  it('generates one development key in the data folder and every process reads the same', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-keys-'));
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = resolvePayloadKeys(config);
    expect(first).toHaveLength(1);
    expect(first[0]!.key).toHaveLength(32);
    expect(resolvePayloadKeys(loadConfig({ DATA_DIR: dataDir }))).toEqual(first);
    expect(fs.statSync(path.join(dataDir, 'payload-keys')).mode & 0o077).toBe(0);
  });
});

describe('gRPC compression of the native connections', () => {
  it('is off unless TEMPORAL_GRPC_COMPRESSION=gzip, keeps the rest of the connection, and refuses anything else', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_API_KEY: 'k' });
    expect(nativeConnectionOptions(config)).toMatchObject({
      address: 'temporal.internal:7233',
      apiKey: 'k',
      grpcCompression: { codec: 'none' },
    });
    expect(nativeConnectionOptions(loadConfig({ TEMPORAL_GRPC_COMPRESSION: 'gzip' })).grpcCompression).toEqual({
      codec: 'gzip',
    });
    expect(() => loadConfig({ TEMPORAL_GRPC_COMPRESSION: 'brotli' })).toThrow(
      /TEMPORAL_GRPC_COMPRESSION must be "none" or "gzip", got "brotli"/,
    );
  });
});
