/**
 * The endpoint file of a running `clout serve`: `<db>.server.json` = {pid, url, token}, mode 0600. While it exists
 * and its pid is alive, the server owns the store file (DuckDB lets one process write it) and the CLI goes through
 * the server's API or stops with a message naming it. A file whose pid is dead is stale and ignored.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { CloutError } from '../domain/index.js';

/** What a running server publishes beside its store. */
export interface ServerEndpoint {
  pid: number;
  url: string;
  /** A random admin credential accepted by that server only (for local commands). */
  token: string;
}

/** The endpoint file's path for a store path. */
export function endpointPath(dbPath: string): string {
  return `${dbPath}.server.json`;
}

/** True when a process with this pid exists. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live server holding the store at `dbPath`, or undefined (no file, unreadable file or dead pid). */
export function liveServer(dbPath: string): ServerEndpoint | undefined {
  const file = endpointPath(dbPath);
  if (dbPath === ':memory:' || !existsSync(file)) return undefined;
  try {
    const e = JSON.parse(readFileSync(file, 'utf8')) as ServerEndpoint;
    if (typeof e.url !== 'string' || typeof e.token !== 'string' || !pidAlive(e.pid)) return undefined;
    return e;
  } catch {
    return undefined;
  }
}

/** Writes the endpoint file (mode 0600), replacing a stale one. */
export function writeEndpoint(dbPath: string, endpoint: ServerEndpoint): void {
  writeFileSync(endpointPath(dbPath), JSON.stringify(endpoint) + '\n', { mode: 0o600 });
}

/** Removes the endpoint file if it is ours (same pid). */
export function removeEndpoint(dbPath: string, pid = process.pid): void {
  const file = endpointPath(dbPath);
  try {
    const e = JSON.parse(readFileSync(file, 'utf8')) as ServerEndpoint;
    if (e.pid === pid) rmSync(file, { force: true });
  } catch {
    // nothing to remove
  }
}

/** Throws a clear error when a live server holds the store at `dbPath` (for commands that cannot go through it). */
export function assertNoServer(dbPath: string): void {
  const e = liveServer(dbPath);
  if (e === undefined) return;
  throw new CloutError(
    'store',
    `the store ${dbPath} is held by a running 'clout serve' (pid ${e.pid}, ${e.url}); ` +
      `'clout import' and 'clout report' go through it, other commands need it stopped first (kill ${e.pid} or Ctrl-C in its terminal)`,
    { pid: e.pid, url: e.url },
  );
}
