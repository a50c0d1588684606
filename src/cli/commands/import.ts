/** `clout import PATH...`: load files and folders of the interchange format into the store. */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { CloutError, CONVERSION_TYPES, KINDS, type Kind } from '../../domain/index.js';
import { checkImportPaths, importIntoDb, type FileSummary, type ImportProgress, type ImportSummary, type RecognisedSource } from '../../app/import.js';
import { formatInt, renderTable, type Column } from '../../report/table.js';
import { resolveDbPath } from '../../app/store.js';
import { DB_FLAG, EXIT, JSON_FLAG, NO_OPTIONS, defineCommand, type CommandIO } from '../command.js';
import { progressBar } from '../progress.js';
import { importViaServer, serverFor } from '../../server/local/client.js';

const USAGE = 'clout import PATH... [--kind KIND] [--type TYPE] [--db PATH] [--rejects FILE] [--json]';

/** The `--json` document: the exports recognised, per file (and kind) counts and the total of rejected rows. */
export function importJson(summary: ImportSummary): { sources: RecognisedSource[]; files: FileSummary[]; rejected_total: number } {
  return {
    sources: summary.sources,
    files: summary.files.map((f) => ({
      file: f.file,
      kind: f.kind,
      ...(f.importer !== undefined ? { importer: f.importer } : {}),
      read: f.read,
      imported: f.imported,
      updated: f.updated,
      unchanged: f.unchanged,
      rejected: f.rejected,
      reported: f.reported,
      ...(f.reasons !== undefined ? { reasons: f.reasons } : {}),
      warnings: f.warnings,
    })),
    rejected_total: summary.rejected_total,
  };
}

/** The human summary: what was recognised, one aligned row per file and kind, a total row, notices, reasons, rejects. */
export function renderImportText(summary: ImportSummary): string {
  const total: FileSummary = { file: 'total', kind: '' as Kind, read: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0, reported: 0, warnings: 0 };
  for (const f of summary.files) {
    total.read += f.read;
    total.imported += f.imported;
    total.updated += f.updated;
    total.unchanged += f.unchanged;
    total.rejected += f.rejected;
    total.reported += f.reported;
    total.warnings += f.warnings;
  }
  const count = (key: 'read' | 'imported' | 'updated' | 'unchanged' | 'rejected' | 'reported' | 'warnings'): Column<FileSummary> => ({
    header: key,
    cell: (r) => formatInt(r[key]),
    align: 'right',
  });
  const columns: Column<FileSummary>[] = [
    { header: 'file', cell: (r) => r.file },
    { header: 'kind', cell: (r) => r.kind },
    count('read'),
    count('imported'),
    count('updated'),
    count('unchanged'),
    count('rejected'),
    ...(total.reported > 0 ? [count('reported')] : []),
    count('warnings'),
  ];
  let text = '';
  for (const s of summary.sources) {
    const files = s.files.length === 1 ? s.files[0]! : `${s.files.length} files: ${s.files.join(', ')}`;
    text += `${s.path}: read as ${s.label} (${files})\n`;
  }
  const rows = summary.files.length > 1 ? [...summary.files, total] : summary.files;
  text += summary.files.length === 0 ? 'No data files to import.\n' : renderTable(rows, columns);
  for (const f of summary.files) {
    if (f.reasons === undefined) continue;
    const reasons = Object.entries(f.reasons).map(([reason, n]) => `${formatInt(n)} ${reason}`).join(', ');
    text += `not imported from ${f.file} (${f.kind}), as intended: ${reasons}\n`;
  }
  for (const n of summary.notices) text += `warning: ${n}\n`;
  if (summary.rejects_path !== null) {
    text += `${formatInt(summary.rejected_total)} row(s) rejected; each with file, line, field and reason in ${summary.rejects_path}\n`;
  }
  return text;
}

/** A progress bar on stderr (through the command's IO) over the bytes of all files. */
function importProgress(io: CommandIO): { update: (p: ImportProgress) => void; stop: () => void } {
  const bar = progressBar(io, 'import {bar} {percentage}% | {file} | {records} records');
  return {
    update: (p) => bar.update(p.runBytesDone, p.runBytesTotal, { file: p.file, records: formatInt(p.records) }),
    stop: () => bar.stop(),
  };
}

export const importCommand = defineCommand({
  name: 'import',
  summary:
    'Import platform exports (X, Bluesky, Mastodon archives; Stripe, Shopify exports) and interchange files (CSV, NDJSON/JSONL, Parquet, optionally .gz), as files, folders or .zip archives',
  options: NO_OPTIONS,
  flags: z
    .object({
      kind: z.enum(KINDS).optional().describe('what the interchange files hold (default: read from each file name)'),
      type: z.enum(CONVERSION_TYPES).optional().describe('the conversion type of Stripe and Shopify orders (default: sale; donation for a charity)'),
      ...DB_FLAG,
      rejects: z.string().optional().describe('where rejected rows go, one JSON line each (default: beside the store)'),
      ...JSON_FLAG,
    })
    .strict(),
  positionals: { usage: 'PATH...', description: 'files, folders or .zip archives to import' },
  example: 'clout import ./world --db ./clout.duckdb',
  async run({ flags, positionals }, io) {
    const kind: Kind | undefined = flags.kind;
    if (positionals.length === 0) throw new CloutError('usage', `no files or folders to import; usage: ${USAGE}`);
    for (const p of positionals) if (!existsSync(p)) throw new CloutError('file_not_found', `cannot read ${p}: no such file or folder`);
    await checkImportPaths(positionals, kind); // usage errors (missing file, unknown kind) before the store is opened
    const json = flags.json;
    const rejectsPath = flags.rejects;
    const bar = io.interactive && !json ? importProgress(io) : undefined;
    const dbPath = resolveDbPath(flags.db, io.env);
    const server = serverFor(dbPath); // two doors: a running `clout serve` holds the store and imports for us
    let summary: ImportSummary;
    if (server !== undefined) {
      bar?.stop();
      summary = await importViaServer(server, positionals, { ...(kind !== undefined ? { kind } : {}), ...(flags.type !== undefined ? { conversionType: flags.type } : {}), ...(rejectsPath !== undefined ? { rejectsPath } : {}) });
    } else {
      try {
        summary = await importIntoDb(dbPath, positionals, {
          ...(kind !== undefined ? { kind } : {}),
          ...(flags.type !== undefined ? { conversionType: flags.type } : {}),
          ...(rejectsPath !== undefined ? { rejectsPath } : {}),
          ...(bar !== undefined ? { onProgress: bar.update } : {}),
        });
      } finally {
        bar?.stop();
      }
    }
    if (json) io.stdout(JSON.stringify(importJson(summary), null, 2) + '\n');
    else io.stdout(renderImportText(summary));
    return summary.rejected_total > 0 ? EXIT.REJECTED_ROWS : EXIT.OK;
  },
});
