/**
 * The store's lifecycle as the doors see it: where the store is (`resolveDbPath`), opening and closing it, and
 * opening an existing one for a read use case (it must exist: a read never creates an empty store by mistake).
 */
import { existsSync } from 'node:fs';
import { CloutError } from '../domain/index.js';
import { closeStore, openStore, type Store } from '../store/db.js';

export { closeStore, openStore, resolveDbPath, type Conn, type Store } from '../store/db.js';

/**
 * Opens the existing store at `dbPath`, runs `fn`, and closes the store whatever happens; `orElse` names another
 * input the command accepts (e.g. 'give --edges FILE') for the message when there is no store.
 */
export async function withExistingStore<T>(dbPath: string, fn: (store: Store) => Promise<T>, orElse?: string): Promise<T> {
  if (!existsSync(dbPath)) {
    throw new CloutError('file_not_found', `no store at ${dbPath}; import data first (clout import DIR)${orElse ? ', pass --db, or ' + orElse : ' or pass --db'}`);
  }
  const store = await openStore(dbPath);
  try {
    return await fn(store);
  } finally {
    await closeStore(store);
  }
}
