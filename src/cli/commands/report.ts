/** `clout report`: followers vs attributed outcomes per account, rank agreement, and campaigns. */
import { resolveDbPath } from '../../store/index.js';
import { RANK_BY, buildInfluenceReport, loadReportInput, renderReportText, type InfluenceReport, type ReportOptions } from '../../report/index.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { boolFlag, choiceFlag, intFlag, listFlag, stringFlag, typesFlag } from '../options.js';
import { withExistingStore } from '../store.js';
import { reportViaServer, serverFor } from '../../server/local/client.js';

/** Opens the store read-write (DuckDB needs it for the WAL), builds the report and closes the store. */
export async function reportFromStore(dbPath: string, options: ReportOptions): Promise<InfluenceReport> {
  const server = serverFor(dbPath); // two doors: a running `clout serve` holds the store and builds the report
  if (server !== undefined) return reportViaServer(server, options);
  return withExistingStore(dbPath, async (store) => buildInfluenceReport(await loadReportInput(store, options), options));
}

/** Reads and checks the report's flags. */
export function reportOptionsFrom(values: Record<string, unknown>): ReportOptions {
  const v = values as Parameters<typeof listFlag>[0];
  const types = typesFlag(v);
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
