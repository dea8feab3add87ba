/**
 * A client connection over Temporal's native (Rust core) transport that opens on first use, so the API can start
 * and answer /healthz before Temporal is reachable. The native transport costs the API about half the CPU per call
 * of the pure-JavaScript gRPC `Connection` (README, "What each change bought"). A failed connect is not kept: the
 * next call tries again. Once open, the core client reconnects by itself.
 */
import type { ConnectionLike, Metadata } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';

type Service = ConnectionLike['workflowService'] | ConnectionLike['operatorService'];

/** Forwards every RPC of a service to the same service of the connection, once it is open. */
function lazyService<S extends Service>(open: () => Promise<NativeConnection>, pick: (c: NativeConnection) => S): S {
  const methods = new Map<PropertyKey, (request: unknown) => Promise<unknown>>();
  return new Proxy({} as S, {
    get(_target, name) {
      // Not a thenable: awaiting the service itself must not look for a `then` RPC.
      if (name === 'then') return undefined;
      let method = methods.get(name);
      if (!method) {
        method = async (request: unknown) => {
          const service = pick(await open()) as unknown as Record<PropertyKey, (r: unknown) => Promise<unknown>>;
          const rpc = service[name];
          if (typeof rpc !== 'function') throw new TypeError(`no RPC ${String(name)}`);
          return rpc.call(service, request);
        };
        methods.set(name, method);
      }
      return method;
    },
  });
}

/** A `ConnectionLike` for `new Client(...)` that connects natively on the first call. */
export class LazyNativeConnection implements ConnectionLike {
  readonly plugins = [];
  readonly workflowService = lazyService(
    () => this.open(),
    (c) => c.workflowService,
  );
  readonly operatorService = lazyService(
    () => this.open(),
    (c) => c.operatorService,
  );
  private opening?: Promise<NativeConnection>;
  private closed = false;

  constructor(private readonly options: NativeConnectionOptions) {}

  /** The open connection; connects once, and again after a failed attempt. */
  private open(): Promise<NativeConnection> {
    if (this.closed) return Promise.reject(new Error('the Temporal connection is closed'));
    if (!this.opening) {
      const attempt = NativeConnection.connect(this.options);
      this.opening = attempt;
      attempt.catch(() => {
        if (this.opening === attempt) this.opening = undefined;
      });
    }
    return this.opening;
  }

  async ensureConnected(): Promise<void> {
    await this.open();
  }

  async withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R> {
    return (await this.open()).withDeadline(deadline, fn);
  }

  async withMetadata<R>(metadata: Metadata, fn: () => Promise<R>): Promise<R> {
    return (await this.open()).withMetadata(metadata, fn);
  }

  async withAbortSignal<R>(signal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    return (await this.open()).withAbortSignal(signal, fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    const opening = this.opening;
    this.opening = undefined;
    if (!opening) return;
    const connection = await opening.catch(() => undefined);
    await connection?.close();
  }
}
