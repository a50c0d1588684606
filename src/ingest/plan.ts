/**
 * What an import will read, decided before anything is written: platform exports recognised by content (each
 * claimed by its importer, from a file, a folder or a .zip archive) and interchange files recognised by name, in
 * load order (KINDS order; a platform source loads where its importer's kind does).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CloutError, KINDS, type Kind } from '../domain/index.js';
import { detectFormat, planFiles } from './files.js';
import { entriesOf, isZipPath, type SourceBundle } from './platforms/entries.js';
import { recognise } from './platforms/recognise.js';
import { PLATFORM_IMPORTERS, type RegisteredImporter } from './platforms/registry.js';
import type { PlatformImporter, SourceEntry } from './platforms/types.js';
import type { PlannedFile } from './types.js';

/** A platform export to import: the path given, the importer that recognised it, and the files it claimed there. */
export interface PlannedSource {
  path: string;
  importer: PlatformImporter;
  loadsWith: Kind;
  entries: SourceEntry[];
  /** Bytes of its entries (uncompressed sizes for .zip members). */
  bytes: number;
}

/** One unit of an import: an interchange file or a platform source. */
export type ImportUnit = { type: 'file'; file: PlannedFile } | { type: 'source'; source: PlannedSource };

/** The units of an import in load order, notices about what is skipped, and how to let go of open archives. */
export interface ImportPlan {
  units: ImportUnit[];
  notices: string[];
  close(): void;
}

/**
 * Plans an import of files, folders and .zip archives. Throws a CloutError (`usage`, `file_not_found`,
 * `unsupported_format`, `unknown_kind`) when a path cannot be read as anything clout knows.
 */
export async function planImport(
  paths: readonly string[],
  kind?: Kind,
  importers: readonly RegisteredImporter[] = PLATFORM_IMPORTERS,
): Promise<ImportPlan> {
  if (paths.length === 0) throw new CloutError('usage', 'no files or folders to import');
  const sources: PlannedSource[] = [];
  const handled = new Set<string>();
  const bundles: SourceBundle[] = [];
  const notices: string[] = [];
  const close = (): void => {
    for (const b of bundles) b.close();
  };
  try {
    for (const path of paths) {
      let isDirectory: boolean;
      try {
        isDirectory = statSync(path).isDirectory();
      } catch {
        throw new CloutError('file_not_found', `no such file or folder: ${path}`);
      }
      const zip = !isDirectory && isZipPath(path);
      if (!isDirectory && !zip && detectFormat(path)?.format === 'parquet') continue; // binary columns: interchange only
      const bundle = await entriesOf(path);
      bundles.push(bundle);
      const { claims, rest } = await recognise(importers, bundle.entries);
      for (const claim of claims) {
        const bytes = claim.entries.reduce((s, e) => s + e.bytes, 0);
        sources.push({ path, importer: claim.registered.importer, loadsWith: claim.registered.loadsWith, entries: claim.entries, bytes });
        if (!zip) for (const e of claim.entries) handled.add(resolve(e.path));
      }
      if (zip) {
        handled.add(resolve(path));
        if (claims.length === 0) {
          throw new CloutError(
            'unsupported_format',
            `cannot read ${path}: no file in this archive is an export clout recognises ` +
              '(X/Twitter, Bluesky or Mastodon archives, Stripe or Shopify exports)',
          );
        }
        for (const e of rest) notices.push(`skipped ${e.path}: not part of an export clout recognises`);
      }
    }
    const files = planFiles(paths, kind, handled);
    notices.push(...files.notices);
    const units: ImportUnit[] = [
      ...sources.map((source): ImportUnit => ({ type: 'source', source })),
      ...files.files.map((file): ImportUnit => ({ type: 'file', file })),
    ];
    const order = (u: ImportUnit): number => KINDS.indexOf(u.type === 'file' ? u.file.kind : u.source.loadsWith);
    units.sort((a, b) => order(a) - order(b)); // stable: sources before files of the same kind, then as given
    return { units, notices, close };
  } catch (e) {
    close();
    throw e;
  }
}
