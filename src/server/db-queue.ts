/**
 * The service's access to DuckDB: one writer connection whose callbacks run strictly one at a time (so a callback
 * may BEGIN/COMMIT), and a separate reader connection. `store.conn` stays free for code that takes a Store.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { CloutError } from '../domain/index.js';
import type { Store } from '../store/db.js';

/** Serialized writes and concurrent reads on a store. */
export interface DbQueue {
  write<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  read<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens the writer and reader connections of `store`. */
export async function createDbQueue(store: Store): Promise<DbQueue> {
  const writer = await store.instance.connect();
  const reader = await store.instance.connect();
  let tail: Promise<unknown> = Promise.resolve();
  let readTail: Promise<unknown> = Promise.resolve();
  let closed = false;
  const chain = <T>(which: 'w' | 'r', fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new CloutError('store', 'the store is closing'));
    const conn = which === 'w' ? writer : reader;
    const prev = which === 'w' ? tail : readTail;
    const run = prev.then(() => fn(conn));
    const settled = run.catch(() => undefined);
    if (which === 'w') tail = settled;
    else readTail = settled;
    return run;
  };
  return {
    write: (fn) => chain('w', fn),
    read: (fn) => chain('r', fn),
    async close() {
      if (closed) return;
      await Promise.all([tail, readTail]);
      closed = true;
      writer.closeSync();
      reader.closeSync();
    },
  };
}
