/**
 * `clout report`: followers vs last-touch credited outcomes per account, rank agreement and campaigns — and, from the
 * outcome model, what each account's and each post's posts caused (with intervals), framing effects, tribes and their
 * conversion, the million-follower-fallacy table. Terminal tables, `--json`, or one self-contained `--html FILE`.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CloutError } from '../../domain/index.js';
import { resolveDbPath } from '../../store/index.js';
import { optionsFromText } from '../../app/options.js';
import { REPORT_OPTIONS, loadReport, runReport, type ReportRequest } from '../../app/report.js';
import { renderReportHtml, renderReportText, type FullReport } from '../../report/index.js';
import { readChartJsBundle } from '../../report/html/chartjs.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { boolFlag, intFlag, stringFlag } from '../options.js';
import { withExistingStore } from '../store.js';
import { reportViaServer, serverFor } from '../../server/local/client.js';

/** Builds the report: through a running `clout serve` that holds the store, else from the store (read, then fit and build). */
export async function reportFromStore(dbPath: string, options: ReportRequest): Promise<FullReport> {
  const server = serverFor(dbPath); // two doors: a running `clout serve` holds the store and builds the report
  if (server !== undefined) return reportViaServer(server, options);
  const loaded = await withExistingStore(dbPath, (store) => loadReport(store.conn, options));
  return runReport(loaded); // the store is closed while the model samples
}

/** Reads and checks the report's flags. */
export function reportOptionsFrom(values: Record<string, unknown>): ReportRequest {
  const v = values as Parameters<typeof stringFlag>[0];
  const model = !boolFlag(v, 'no-model');
  if (!model && v.niter !== undefined) throw new CloutError('usage', '--niter sets the outcome model; it makes no sense with --no-model');
  return optionsFromText(
    REPORT_OPTIONS,
    { type: stringFlag(v, 'type'), currency: stringFlag(v, 'currency'), rank_by: stringFlag(v, 'rank-by'), niter: stringFlag(v, 'niter'), seed: stringFlag(v, 'seed'), model: String(model) },
    (n) => (n === 'model' ? '--no-model' : `--${n.replaceAll('_', '-')}`),
  );
}

/** Writes `text` to `path` through `path.tmp` and a rename, so a reader never sees half a file. */
export function writeFileAtomically(path: string, text: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CloutError('file_not_found', `no such directory: ${dir}`);
  const tmp = `${path}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CloutError('input', `cannot write ${path}: ${(e as Error).message}`);
  }
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'Who has followers vs who brought and who caused outcomes: leaderboard with intervals, posts, framing, tribes, campaigns',
  usage:
    'clout report [--db PATH] [--type sale,donation,...] [--rank-by conversions_per_post|conversions|value] [--currency USD] [--top N]\n' +
    '             [--niter 1500] [--seed 1] [--no-model] [--json] [--html FILE]\n' +
    '  --niter N     iterations of the outcome model\'s sampler (a fifth burn-in; ~4 s per 1500 on the demo world)\n' +
    '  --seed N      seed of the sampler and of Leiden (tribes)\n' +
    '  --no-model    skip the outcome model: only the last-touch sections (outcome fields null or empty)\n' +
    '  --html FILE   write one self-contained HTML report with charts (no network needed to open it)',
  options: {
    db: { type: 'string' },
    type: { type: 'string' },
    'rank-by': { type: 'string' },
    currency: { type: 'string' },
    top: { type: 'string' },
    niter: { type: 'string' },
    seed: { type: 'string' },
    'no-model': { type: 'boolean' },
    json: { type: 'boolean' },
    html: { type: 'string' },
  },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const options = reportOptionsFrom(values);
    const top = intFlag(values, 'top', 10, 1, 1_000_000);
    const html = stringFlag(values, 'html');
    if (html !== undefined && html.trim() === '') throw new CloutError('usage', '--html needs a file name');
    const report = await reportFromStore(resolveDbPath(stringFlag(values, 'db'), io.env), options);
    if (html !== undefined) {
      const text = renderReportHtml(report, { top, chartJs: readChartJsBundle(), generatedAt: new Date().toISOString() });
      writeFileAtomically(html, text);
      if (!boolFlag(values, 'json')) io.stdout(`wrote the HTML report to ${html} (${Math.ceil(Buffer.byteLength(text) / 1024)} KB)\n`);
    }
    if (boolFlag(values, 'json')) io.stdout(JSON.stringify(report, null, 2) + '\n');
    else if (html === undefined) io.stdout(renderReportText(report, { top }));
    return EXIT.OK;
  },
};
