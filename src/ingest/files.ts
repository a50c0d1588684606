/**
 * Which files an import reads: paths and folders expanded (recursively), the format and kind of each file
 * detected from its name, ordered so that referenced kinds load first (KINDS order).
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CloutError, isKind, KINDS, type Kind } from '../domain/index.js';
import type { InputFormat, PlannedFile } from './types.js';

/** The platform exports recognised by content, as an error message lists them. */
const RECOGNISED = 'X/Twitter, Bluesky or Mastodon archives, Stripe or Shopify exports';

const EXTENSIONS: readonly (readonly [string, InputFormat])[] = [
  ['.csv', 'csv'],
  ['.ndjson', 'ndjson'],
  ['.jsonl', 'ndjson'],
  ['.parquet', 'parquet'],
];

/** The format of a data file from its name (`posts.csv`, `clicks.ndjson.gz`), or undefined when it is not one. */
export function detectFormat(path: string): { format: InputFormat; gzip: boolean } | undefined {
  let name = basename(path).toLowerCase();
  const gzip = name.endsWith('.gz');
  if (gzip) name = name.slice(0, -3);
  for (const [ext, format] of EXTENSIONS) {
    if (name.endsWith(ext) && name.length > ext.length) {
      if (format === 'parquet' && gzip) return undefined;
      return { format, gzip };
    }
  }
  return undefined;
}

/** The stem of a file name: everything before its first dot (`clicks.ndjson.gz` → `clicks`). */
export function fileStem(path: string): string {
  const name = basename(path);
  const dot = name.indexOf('.');
  return dot <= 0 ? name : name.slice(0, dot);
}

/** The files to import, in load order, plus notices about data files in folders that were skipped. */
export interface FilePlan {
  files: PlannedFile[];
  notices: string[];
}

/**
 * Expands paths into the interchange files to import; throws a usage error for a missing path or an unknowable kind.
 * Paths in `handled` (resolved; files a platform importer claimed, .zip archives) are left out.
 */
export function planFiles(paths: readonly string[], kind?: Kind, handled: ReadonlySet<string> = new Set()): FilePlan {
  if (paths.length === 0) throw new CloutError('usage', 'no files or folders to import');
  const files: PlannedFile[] = [];
  const notices: string[] = [];
  const seen = new Set<string>();
  const add = (path: string, stats: Stats, format: { format: InputFormat; gzip: boolean }, k: Kind): void => {
    const key = resolve(path);
    if (seen.has(key)) return;
    seen.add(key);
    files.push({ path, kind: k, format: format.format, gzip: format.gzip, bytes: stats.size });
  };

  for (const path of paths) {
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch {
      throw new CloutError('file_not_found', `no such file or folder: ${path}`);
    }
    if (handled.has(resolve(path))) continue;
    if (stats.isDirectory()) {
      for (const file of walk(path)) {
        if (handled.has(resolve(file.path))) continue;
        const format = detectFormat(file.path);
        if (format === undefined) continue; // truth.json, READMEs, …: not data, ignored silently
        const stem = fileStem(file.path);
        const k = kind ?? (isKind(stem) ? stem : undefined);
        if (k === undefined) {
          notices.push(`skipped ${file.path}: '${stem}' is not a kind (${KINDS.join(', ')})`);
          continue;
        }
        add(file.path, file.stats, format, k);
      }
      continue;
    }
    const format = detectFormat(path);
    if (format === undefined) {
      throw new CloutError(
        'unsupported_format',
        `cannot read ${path}: it is not an export clout recognises (${RECOGNISED}) and not an interchange file ` +
          '(.csv, .ndjson, .jsonl, each optionally .gz, or .parquet)',
      );
    }
    const stem = fileStem(path);
    const k = kind ?? (isKind(stem) ? stem : undefined);
    if (k === undefined) {
      throw new CloutError(
        'unknown_kind',
        `cannot tell the kind of ${path}: '${stem}' is not one of ${KINDS.join(', ')}; rename the file or pass --kind`,
      );
    }
    add(path, stats, format, k);
  }
  const order = (k: Kind): number => KINDS.indexOf(k);
  // Array.prototype.sort is stable: within a kind, files keep the order they were given or found in.
  files.sort((a, b) => order(a.kind) - order(b.kind));
  return { files, notices };
}

/** Files under a folder, recursively, in name order; hidden entries are skipped. */
export function walk(dir: string): { path: string; stats: Stats }[] {
  const out: { path: string; stats: Stats }[] = [];
  const names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
  for (const name of names) {
    const path = join(dir, name);
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch {
      continue; // a dangling link
    }
    if (stats.isDirectory()) out.push(...walk(path));
    else if (stats.isFile()) out.push({ path, stats });
  }
  return out;
}
