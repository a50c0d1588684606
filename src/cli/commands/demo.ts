/**
 * `clout demo`: generate the demo world, import it into the embedded store, print the report and the truth check —
 * then who moves outcomes: the full report's outcome model (default settings, as `clout report`) beside the planted truth.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CloutError } from '../../domain/index.js';
import { importPaths } from '../../ingest/index.js';
import { causalImpact, type ImpactResult } from '../../analysis/impact/index.js';
import { storeImpactInput } from '../../app/impact.js';
import { loadLastTouchRows } from '../../app/last-touch.js';
import { parseOptions } from '../../app/options.js';
import { REPORT_OPTIONS, report as fullReport } from '../../app/report.js';
import { buildCreditReport, renderReportText } from '../../report/index.js';
import { checkAgainstTruth, checkOutcomesAgainstTruth, renderOutcomesTruthCheck, type PlantedOutcomes } from '../../synth/check/index.js';
import { closeStore, openStore } from '../../store/index.js';
import { generateWorld } from '../../synth/index.js';
import { formatFixed } from '../../report/table.js';
import { z } from 'zod';
import { EXIT, JSON_FLAG, NO_OPTIONS, defineCommand } from '../command.js';

const DEMO_DB = './clout-demo.duckdb';
const DEMO_OUT = './clout-demo';

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'Generate a synthetic world with planted truth, import it, and show who has followers vs who brings sales',
  options: NO_OPTIONS,
  flags: z
    .object({
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe('seed of the demo world'),
      out: z.string().default(DEMO_OUT).describe('folder the world is written to'),
      db: z.string().optional().describe(`a new store file (default ${DEMO_DB}, started afresh; a --db store must not exist)`),
      top: z.number().int().min(1).max(1000).default(10).describe('rows shown in the tables'),
      ...JSON_FLAG,
    })
    .strict(),
  example: 'clout demo --seed 7 --top 5',
  async run({ flags }, io) {
    const { seed, top, json } = flags;
    const out = resolve(flags.out);
    const dbFlag = flags.db;
    const dbPath = resolve(dbFlag ?? DEMO_DB);
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
      const report = buildCreditReport(await loadLastTouchRows(store.conn, salesOptions), salesOptions);
      const truth = JSON.parse(readFileSync(world.truthPath, 'utf8')) as PlantedOutcomes & {
        accounts: { id: string; persuasion: number; role?: string }[];
        campaigns: { id: string; planted_total: number }[];
      };
      const check = checkAgainstTruth(report, truth);
      say(`3. built the report  [${secs(t2)}]\n`);

      // Did the birthday appeal change what the charity received? (causal impact on the campaign's metric series)
      const t3 = performance.now();
      const campaignId = 'cmp_birthday';
      const input = await storeImpactInput(store.conn, { campaign: campaignId, controls: [], types: [] });
      const impact = causalImpact(input.data, { seed });
      say(`4. measured the campaign's causal impact on ${input.outcome}  [${secs(t3)}]\n`);

      // Who moves outcomes: the whole report (outcome model with the report's defaults) against the planted truth.
      const t4 = performance.now();
      const defaults = parseOptions(REPORT_OPTIONS, {});
      const full = await fullReport(store.conn, defaults);
      const outcomes = checkOutcomesAgainstTruth(full, truth, 5);
      say(`5. fitted the outcome model (${defaults.niter} iterations) and built the full report  [${secs(t4)}]\n\n`);
      if (json) {
        const campaign_impact = { campaign: campaignId, outcome: input.outcome, event: input.event, notes: input.notes, ...impact };
        io.stdout(JSON.stringify({ world, import: imported, report, truth_check: check, campaign_impact, who_moves_outcomes: outcomes }, null, 2) + '\n');
        return EXIT.OK;
      }
      io.stdout(renderReportText(report, { top }));
      io.stdout(campaignImpactLine(campaignId, input.outcome, impact));
      io.stdout(
        `\nPlanted truth (${join(out, 'truth.json')}): rank correlation with each account's true persuasion ` +
          `(incremental sales per post) over ${check.n} accounts —\n` +
          `  followers: ρ = ${formatFixed(check.spearman_followers_vs_persuasion, 2)}   ` +
          `clicks: ρ = ${formatFixed(check.spearman_clicks_vs_persuasion, 2)}   ` +
          `attributed sales per post: ρ = ${formatFixed(check.spearman_outcomes_vs_persuasion, 2)}\n` +
          plantedCampaignLine(truth.campaigns.find((c) => c.id === campaignId)?.planted_total, impact) +
          renderOutcomesTruthCheck(outcomes) +
          `\nExplore: clout report --db ${dbFlag ?? DEMO_DB} [--type donation] [--json]   (total ${secs(t0)})\n`,
      );
      return EXIT.OK;
    } finally {
      await closeStore(store);
    }
  },
});

/** One paragraph: what the campaign's outcome series did against its counterfactual. */
function campaignImpactLine(id: string, outcome: string, r: ImpactResult): string {
  const c = r.cumulative;
  if (!r.ok || c === null) return `\nCausal impact of ${id} on ${outcome}: not measurable (${r.warnings.join('; ')})\n`;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const days = r.post.end - r.post.start + 1;
  return (
    `\nDid the appeal change what the charity received? (clout impact --campaign ${id})\n` +
    `  ${outcome} over the ${days} campaign days: ${n(c.actual)} observed, ${n(c.predicted)} expected without it ` +
    `[${n(c.predicted_lower)}, ${n(c.predicted_upper)}] → effect +${n(c.abs_effect)} [${n(c.abs_effect_lower)}, ${n(c.abs_effect_upper)}], ` +
    `p = ${formatFixed(r.p!, 3)}\n`
  );
}

/** The campaign's planted total beside the measured interval. */
function plantedCampaignLine(planted: number | undefined, r: ImpactResult): string {
  const c = r.cumulative;
  if (planted === undefined || c === null) return '';
  const inside = c.abs_effect_lower <= planted && planted <= c.abs_effect_upper;
  return `  campaign: the appeal planted +${planted.toLocaleString('en-US')}; ${inside ? 'inside' : 'OUTSIDE'} the 95% interval above\n`;
}

function secs(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
