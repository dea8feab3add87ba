/**
 * Announcements of changed API keys (migration 063): a dedicated connection LISTENs on `api_key_changed`. It only
 * reports itself live once a probe it sent itself has come back, so a pooler that drops notifications (PgBouncer in
 * transaction mode) never passes for live. A lost connection reports down and reconnects.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const API_KEY_CHANNEL = 'api_key_changed';
/** The listener's application_name, so operators see what the connection is for. */
export const LISTENER_NAME = 'pw-api-key-changes';

/** What the listener tells its owner. */
export interface KeyChangeHandlers {
  /** A key changed; `*`: any may have. */
  changed(keyId: string): void;
  /** Announcements arrive: from now on none is missed until `down`. */
  live(): void;
  /** Announcements may be missed from now on. */
  down(): void;
}

/** Listens until closed; reconnects every `retryMs` after a failure. */
export function listenForKeyChanges(
  connectionString: string,
  handlers: KeyChangeHandlers,
  options: { retryMs?: number; onError?: (err: unknown) => void } = {},
): { close(): Promise<void> } {
  const retryMs = options.retryMs ?? 2_000;
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;

  const lost = (failed: pg.Client, err?: unknown): void => {
    if (client !== failed) return;
    client = undefined;
    handlers.down();
    if (err) options.onError?.(err);
    failed.end().catch(() => undefined);
    if (!closed) timer = setTimeout(connect, retryMs);
  };

  async function connect(): Promise<void> {
    timer = undefined;
    if (closed) return;
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000, application_name: LISTENER_NAME });
    client = next;
    const probe = `probe:${randomUUID()}`;
    next.on('notification', (message) => {
      if (message.channel !== API_KEY_CHANNEL || client !== next) return;
      if (message.payload === probe) handlers.live();
      else if (message.payload && !message.payload.startsWith('probe:')) handlers.changed(message.payload);
    });
    next.on('error', (err) => lost(next, err));
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${API_KEY_CHANNEL}`);
      await next.query('SELECT pg_notify($1, $2)', [API_KEY_CHANNEL, probe]);
    } catch (err) {
      lost(next, err);
    }
  }

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const open = client;
      client = undefined;
      if (open) {
        handlers.down();
        await open.end().catch(() => undefined);
      }
    },
  };
}
