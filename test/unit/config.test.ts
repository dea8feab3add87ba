import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration } from '../../config';

describe('config', () => {
  it('has working defaults with the embedded database', () => {
    const config = loadConfig({});
    expect(config.api.port).toBe(3000);
    expect(config.temporal).toMatchObject({ address: 'localhost:7233', namespace: 'default' });
    expect(config.embeddedDatabase).toBe(true);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5433/postgres');
    expect(config.webhooks.retryScheduleMs).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
  });

  it('reads the documented variables', () => {
    const config = loadConfig({
      API_PORT: '8080',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'prod',
      DATABASE_URL: 'postgres://u@db/x',
    });
    expect(config.api.port).toBe(8080);
    expect(config.temporal).toMatchObject({ address: 'temporal:7233', namespace: 'prod' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://u@db/x', embeddedDatabase: false });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ API_PORT: 'eighty' })).toThrow(/API_PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must use postgres/);
    expect(() => loadConfig({ PGLITE_PORT: '5432' })).toThrow(ConfigError);
    expect(() => loadConfig({ PAYMENT_PROVIDER: 'stripe' })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => loadConfig({ PAYMENT_PROVIDER: 'paypal' })).toThrow(
      /PAYMENT_PROVIDER must be "default" or "stripe", got "paypal"/,
    );
    expect(() => loadConfig({ APP_ENV: 'staging' })).toThrow(
      /APP_ENV must be "development" or "production", got "staging"/,
    );
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: '5s,soon' })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
  });

  it('parses durations', () => {
    expect(parseDuration('X', '250ms')).toBe(250);
    expect(parseDuration('X', '5s')).toBe(5_000);
    expect(parseDuration('X', '2h')).toBe(7_200_000);
    expect(parseDuration('X', '3d')).toBe(259_200_000);
    expect(parseDuration('X', '42')).toBe(42);
    expect(() => parseDuration('X', '-1s')).toThrow(/X must be a duration/);
  });
});
