/** `clout report`: followers vs attributed outcomes per account, rank agreement, and campaigns. */
import { CONVERSION_TYPES, CloutError } from '../../domain/index.js';
import { closeStore, openStore, resolveDbPath } from '../../store/index.js';
import { RANK_BY, buildInfluenceReport, loadReportInput, renderReportText, type InfluenceReport, type ReportOptions } from '../../report/index.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { boolFlag, choiceFlag, intFlag, listFlag, stringFlag } from '../options.js';
import { existsSync } from 'node:fs';
import { reportViaServer, serverFor } from '../../server/local/client.js';

/** Opens the store read-write (DuckDB needs it for the WAL), builds the report and closes the store. */
export async function reportFromStore(dbPath: string, options: ReportOptions): Promise<InfluenceReport> {
  const server = serverFor(dbPath); // two doors: a running `clout serve` holds the store and builds the report
  if (server !== undefined) return reportViaServer(server, options);
  if (!existsSync(dbPath)) {
    throw new CloutError('file_not_found', `no store at ${dbPath}; import data first (clout import DIR) or pass --db`);
  }
  const store = await openStore(dbPath);
  try {
    return buildInfluenceReport(await loadReportInput(store, options), options);
  } finally {
    await closeStore(store);
  }
}

/** Reads and checks the report's flags. */
export function reportOptionsFrom(values: Record<string, unknown>): ReportOptions {
  const v = values as Parameters<typeof listFlag>[0];
  const types = listFlag(v, 'type');
  for (const t of types) {
    if (!(CONVERSION_TYPES as readonly string[]).includes(t)) {
      throw new CloutError('usage', `--type must be among ${CONVERSION_TYPES.join(', ')}; got '${t}'`);
    }
  }
  const currency = stringFlag(v, 'currency')?.toUpperCase();
  return { types, currency, rankBy: choiceFlag(v, 'rank-by', RANK_BY, 'conversions_per_post') };
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'Who has followers vs who brought outcomes: per-account credit, rank agreement, campaigns',
  usage:
    'clout report [--db PATH] [--type sale,donation,...] [--rank-by conversions_per_post|conversions|value] [--currency USD] [--top N] [--json]',
  options: {
    db: { type: 'string' },
    type: { type: 'string' },
    'rank-by': { type: 'string' },
    currency: { type: 'string' },
    top: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const options = reportOptionsFrom(values);
    const top = intFlag(values, 'top', 10, 1, 1_000_000);
    const report = await reportFromStore(resolveDbPath(stringFlag(values, 'db'), io.env), options);
    if (boolFlag(values, 'json')) io.stdout(JSON.stringify(report, null, 2) + '\n');
    else io.stdout(renderReportText(report, { top }));
    return EXIT.OK;
  },
};
