/** `clout demo`: generate the demo world, import it into the embedded store, print the report and the truth check. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CloutError } from '../../domain/index.js';
import { importPaths } from '../../ingest/index.js';
import { buildInfluenceReport, checkAgainstTruth, loadReportInput, renderReportText } from '../../report/index.js';
import { closeStore, openStore } from '../../store/index.js';
import { generateWorld } from '../../synth/index.js';
import { formatFixed } from '../../report/table.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { boolFlag, intFlag, stringFlag } from '../options.js';

const DEMO_DB = './clout-demo.duckdb';
const DEMO_OUT = './clout-demo';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Generate a synthetic world with planted truth, import it, and show who has followers vs who brings sales',
  usage: 'clout demo [--seed N] [--out DIR] [--db PATH] [--top N] [--json]',
  options: {
    seed: { type: 'string' },
    out: { type: 'string' },
    db: { type: 'string' },
    top: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const seed = intFlag(values, 'seed', 42, 0, 2 ** 31 - 1);
    const top = intFlag(values, 'top', 10, 1, 1000);
    const out = resolve(stringFlag(values, 'out') ?? DEMO_OUT);
    const dbFlag = stringFlag(values, 'db');
    const dbPath = resolve(dbFlag ?? DEMO_DB);
    const json = boolFlag(values, 'json');
    const say = (t: string): void => {
      if (!json) io.stdout(t);
    };

    // The demo owns its default store and starts it afresh; a store named with --db is never overwritten.
    if (existsSync(dbPath)) {
      if (dbFlag !== undefined) throw new CloutError('usage', `${dbPath} already exists; the demo needs a new store path`);
      rmSync(dbPath, { force: true });
      rmSync(`${dbPath}.wal`, { force: true });
    }

    const t0 = performance.now();
    const world = await generateWorld({ seed, size: 'demo', out, format: 'csv', gzip: false });
    const rows = world.files.reduce((s, f) => s + f.rows, 0);
    say(`1. generated the demo world (seed ${seed}): ${rows.toLocaleString('en-US')} records in ${out}  [${secs(t0)}]\n`);

    const t1 = performance.now();
    const store = await openStore(dbPath);
    try {
      const imported = await importPaths(store, [out], { rejectsPath: `${dbPath}.rejects.ndjson` });
      const good = imported.files.reduce((s, f) => s + f.imported + f.updated + f.unchanged, 0);
      say(`2. imported ${good.toLocaleString('en-US')} records into ${dbPath} (${imported.rejected_total} rejected)  [${secs(t1)}]\n`);

      const t2 = performance.now();
      const salesOptions = { types: ['sale'], rankBy: 'conversions_per_post' as const };
      const report = buildInfluenceReport(await loadReportInput(store, salesOptions), salesOptions);
      const truth = JSON.parse(readFileSync(world.truthPath, 'utf8')) as { accounts: { id: string; persuasion: number }[] };
      const check = checkAgainstTruth(report, truth);
      say(`3. built the report  [${secs(t2)}]\n\n`);
      if (json) {
        io.stdout(JSON.stringify({ world, import: imported, report, truth_check: check }, null, 2) + '\n');
        return EXIT.OK;
      }
      io.stdout(renderReportText(report, { top }));
      io.stdout(
        `\nPlanted truth (${join(out, 'truth.json')}): rank correlation with each account's true persuasion ` +
          `(incremental sales per post) over ${check.n} accounts —\n` +
          `  followers: ρ = ${formatFixed(check.spearman_followers_vs_persuasion, 2)}   ` +
          `clicks: ρ = ${formatFixed(check.spearman_clicks_vs_persuasion, 2)}   ` +
          `attributed sales per post: ρ = ${formatFixed(check.spearman_outcomes_vs_persuasion, 2)}\n` +
          `\nExplore: clout report --db ${dbFlag ?? DEMO_DB} [--type donation] [--json]   (total ${secs(t0)})\n`,
      );
      return EXIT.OK;
    } finally {
      await closeStore(store);
    }
  },
};

function secs(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
