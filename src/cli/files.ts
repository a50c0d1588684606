/** Files a command reads or writes, with one-line errors that name the path (never a raw ENOENT or EISDIR). */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CloutError } from '../domain/index.js';

/** Throws unless `path` can be written: its directory exists and the path is not a directory. */
export function checkWritable(path: string): void {
  if (path.trim() === '') throw new CloutError('usage', 'an output file name is needed');
  const dir = dirname(resolve(path));
  if (!existsSync(dir)) throw new CloutError('file_not_found', `cannot write ${path}: no such directory ${dir}`);
  if (!statSync(dir).isDirectory()) throw new CloutError('file_not_found', `cannot write ${path}: ${dir} is not a directory`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new CloutError('usage', `cannot write ${path}: it is a directory`);
}

/** Writes `text` to `path` through `path.tmp` and a rename, so a reader never sees half a file. */
export function writeFileAtomically(path: string, text: string): void {
  checkWritable(path);
  const tmp = `${path}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CloutError('input', `cannot write ${path}: ${(e as Error).message}`);
  }
}

