/** Options of an import: one schema, its defaults beside it, unknown options rejected. */
import { z } from 'zod';
import { CloutError, CONVERSION_TYPES, KINDS } from '../domain/index.js';
import type { RegisteredImporter } from './platforms/registry.js';
import type { ImportProgress } from './types.js';

/** Defaults of an import. */
export const IMPORT_DEFAULTS = {
  /**
   * Rows per batch: the unit of a merge into the store and of a commit. Two DuckDB row groups (2 × 122,880): a
   * commit of whole row groups writes them straight to the database file instead of through the WAL.
   */
  batchRows: 245_760,
} as const;

const importOptionsSchema = z
  .object({
    /** The conversion type of orders and payments read from Stripe or Shopify exports (`donation` for a charity). */
    conversionType: z.enum(CONVERSION_TYPES).default('sale'),
    /** The platform importers to try on each file (default: every importer clout has, PLATFORM_IMPORTERS). */
    importers: z.custom<readonly RegisteredImporter[]>((v) => Array.isArray(v)).optional(),
    /** Read every file as this kind instead of detecting it from the file name. */
    kind: z.enum(KINDS).optional(),
    /** Append rejected rows to this file; default: `<store>.rejects/<run id>.rejects.ndjson`. */
    rejectsPath: z.string().min(1).optional(),
    /** Called after each batch with where the import is. */
    onProgress: z.custom<(p: ImportProgress) => void>((v) => typeof v === 'function').optional(),
    /** Rows per batch: the unit of a merge into the store and of a commit. */
    batchRows: z.number().int().min(1).max(10_000_000).default(IMPORT_DEFAULTS.batchRows),
    /** An id for this run (names the default rejects file); default: derived from the start time. */
    runId: z.string().regex(/^[A-Za-z0-9._-]+$/).optional(),
  })
  .strict();

/** Options accepted by `importPaths`. */
export type ImportOptions = z.input<typeof importOptionsSchema>;
/** Options with defaults applied. */
export type ResolvedImportOptions = z.output<typeof importOptionsSchema>;

/** Checks import options and applies defaults; an unknown or bad option is a `bad_option` error. */
export function resolveImportOptions(options: ImportOptions = {}): ResolvedImportOptions {
  const result = importOptionsSchema.safeParse(options);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'options';
  const message = issue.code === 'unrecognized_keys' ? `unknown option(s) ${issue.keys.join(', ')}` : issue.message;
  if (issue.path[0] === 'kind') {
    throw new CloutError('unknown_kind', `unknown kind '${String((options as { kind?: unknown }).kind)}'; expected one of ${KINDS.join(', ')}`);
  }
  throw new CloutError('bad_option', `import: ${where}: ${message}`);
}
