// SQLite through Prisma's better-sqlite3 adapter has ONE connection. The adapter makes transactions wait for
// each other, but a query issued outside a transaction while one is open runs on that same connection, inside
// the open transaction — and vanishes if that transaction rolls back (a retried write conflict, say). That
// would lose an inbox row or a job enqueued by concurrent work. This wrapper gives the connection one lock:
// a transaction holds it from BEGIN to COMMIT/ROLLBACK, and every query outside a transaction takes it for
// its own duration, so it runs between transactions, never inside a stranger's.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/** A FIFO lock: `run` waits for every earlier holder. */
export class ConnectionLock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

function serialTransaction(tx: Transaction, release: () => void): Transaction {
  let released = false;
  const once = () => {
    if (!released) {
      released = true;
      release();
    }
  };
  return new Proxy(tx, {
    get(target, key, receiver) {
      if (key === "commit" || key === "rollback") {
        return async () => {
          try {
            await (target[key] as () => Promise<void>).call(target);
          } finally {
            once();
          }
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export function serialAdapter(adapter: SqlDriverAdapter, lock = new ConnectionLock()): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, key, receiver) {
      switch (key) {
        case "queryRaw":
          return (query: SqlQuery) => lock.run(() => target.queryRaw(query));
        case "executeRaw":
          return (query: SqlQuery) => lock.run(() => target.executeRaw(query));
        case "executeScript":
          return (script: string) => lock.run(() => target.executeScript(script));
        case "startTransaction":
          return async (isolationLevel?: Parameters<SqlDriverAdapter["startTransaction"]>[0]) => {
            const release = await lock.acquire();
            try {
              return serialTransaction(await target.startTransaction(isolationLevel), release);
            } catch (error) {
              release();
              throw error;
            }
          };
        default: {
          const value = Reflect.get(target, key, receiver) as unknown;
          return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        }
      }
    },
  });
}

/** Wraps a SQLite adapter factory so every connection it makes is serialised as above. */
export function serialAdapterFactory(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(target, key, receiver) {
      if (key === "connect") return async () => serialAdapter(await target.connect());
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
