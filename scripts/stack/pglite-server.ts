/**
 * Serves one PGlite database to many PostgreSQL wire-protocol connections (pg pools in the API, the workers and
 * the CLI). PGlite has a single session, so connections take turns: a connection owns the session from its first
 * message until PGlite answers with ReadyForQuery in the idle state. That keeps whole extended-protocol batches
 * (Parse/Bind/Execute/Sync, whose unnamed statement lives until ReadyForQuery) and whole transactions apart.
 * pglite-socket 0.2.17 only pins a connection inside a transaction, so concurrent parameterised queries from two
 * connections interleave ("unnamed prepared statement does not exist"), and one failure can stall its queue.
 */
import type { PGlite } from '@electric-sql/pglite';
import net from 'node:net';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/** A running server. */
export interface PgliteServer {
  port: number;
  stop(): Promise<void>;
}

/** Hands the single session to one connection at a time, in arrival order. */
class SessionTurns {
  private owner: number | undefined;
  private readonly waiting: { id: number; grant: () => void }[] = [];

  async acquire(id: number): Promise<void> {
    if (this.owner === id) return;
    if (this.owner === undefined) {
      this.owner = id;
      return;
    }
    await new Promise<void>((grant) => this.waiting.push({ id, grant }));
  }

  isOwner(id: number): boolean {
    return this.owner === id;
  }

  release(id: number): void {
    if (this.owner !== id) {
      const i = this.waiting.findIndex((w) => w.id === id);
      if (i >= 0) this.waiting.splice(i, 1);
      return;
    }
    const next = this.waiting.shift();
    this.owner = next?.id;
    next?.grant();
  }
}

/** Splits the next complete frontend message off the buffer: startup-style (no type byte) or typed. */
function nextMessage(buffer: Buffer, started: boolean): { message: Buffer; kind: string } | undefined {
  if (!started) {
    if (buffer.length < 8) return undefined;
    const length = buffer.readInt32BE(0);
    if (buffer.length < length) return undefined;
    const code = buffer.readInt32BE(4);
    const kind =
      code === SSL_REQUEST ? 'ssl' : code === CANCEL_REQUEST ? 'cancel' : code === PROTOCOL_3 ? 'startup' : 'unknown';
    return { message: buffer.subarray(0, length), kind };
  }
  if (buffer.length < 5) return undefined;
  const length = 1 + buffer.readInt32BE(1);
  if (buffer.length < length) return undefined;
  return { message: buffer.subarray(0, length), kind: String.fromCharCode(buffer[0]!) };
}

/** True when the response ends with ReadyForQuery saying "idle, not in a transaction". */
function endsIdle(response: Uint8Array): boolean {
  const n = response.length;
  return n >= 6 && response[n - 6] === 0x5a /* Z */ && response[n - 1] === 0x49; /* I */
}

/** Serves `db` on 127.0.0.1:`port` (0 picks a free port). */
export async function servePglite(db: PGlite, port: number): Promise<PgliteServer> {
  const turns = new SessionTurns();
  const sockets = new Set<net.Socket>();
  let nextId = 1;

  const server = net.createServer((socket) => {
    const id = nextId++;
    sockets.add(socket);
    let buffer = Buffer.alloc(0);
    let started = false;
    let chain = Promise.resolve();

    const close = async (): Promise<void> => {
      if (turns.isOwner(id) && db.isInTransaction()) await db.exec('ROLLBACK').catch(() => undefined);
      turns.release(id);
    };

    const handle = async (message: Buffer, kind: string): Promise<void> => {
      if (kind === 'ssl') return void socket.write('N');
      if (kind === 'cancel' || kind === 'unknown') return void socket.end();
      if (kind === 'X') return void socket.end();
      await turns.acquire(id);
      const response = await db.execProtocolRaw(new Uint8Array(message));
      if (response.length > 0 && socket.writable) socket.write(response);
      if (endsIdle(response)) turns.release(id);
    };

    socket.on('data', (data) => {
      buffer = Buffer.concat([buffer, data]);
      for (let next = nextMessage(buffer, started); next; next = nextMessage(buffer, started)) {
        const { message, kind } = next;
        buffer = buffer.subarray(message.length);
        if (kind === 'startup') started = true;
        // One message at a time per connection, in order; a failure closes this connection only.
        chain = chain
          .then(() => handle(Buffer.from(message), kind))
          .catch(() => {
            socket.destroy();
          });
      }
    });
    socket.on('close', () => {
      sockets.delete(socket);
      chain = chain.then(close, close);
    });
    socket.on('error', () => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
