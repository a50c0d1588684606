/**
 * `clout demo`: generate the demo world, import it into the embedded store, print the report and the truth check —
 * then who moves outcomes: the full report's outcome model (default settings, as `clout report`) beside the planted truth.
 * The pipeline is app/demo.ts; this renders its document.
 */
import { join, resolve } from 'node:path';
import { DEMO_CAMPAIGN, DEMO_DB, DEMO_OUT, renderOutcomesTruthCheck, runDemo } from '../../app/demo.js';
import type { ImpactResult } from '../../app/impact.js';
import { renderReportText } from '../../report/index.js';
import { calibrationSentence } from '../../report/render-impact.js';
import { formatFixed } from '../../report/table.js';
import { z } from 'zod';
import { EXIT, JSON_FLAG, NO_OPTIONS, defineCommand } from '../command.js';

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
    const t0 = performance.now();
    const run = await runDemo({ seed, out, dbPath, dbGiven: dbFlag !== undefined }, (step, done, seconds) => {
      if (!json) io.stdout(`${step}. ${done}  [${seconds.toFixed(1)} s]\n${step === 5 ? '\n' : ''}`);
    });
    const doc = run.document;
    if (json) {
      io.stdout(JSON.stringify(doc, null, 2) + '\n');
      return EXIT.OK;
    }
    const check = doc.truth_check;
    const impact = doc.campaign_impact;
    io.stdout(renderReportText(doc.report, { top }));
    io.stdout(campaignImpactLine(DEMO_CAMPAIGN, impact.outcome, impact));
    io.stdout(
      `\nPlanted truth (${join(out, 'truth.json')}): rank correlation with each account's true persuasion ` +
        `(incremental sales per post) over ${check.n} accounts —\n` +
        `  followers: ρ = ${formatFixed(check.spearman_followers_vs_persuasion, 2)}   ` +
        `clicks: ρ = ${formatFixed(check.spearman_clicks_vs_persuasion, 2)}   ` +
        `attributed sales per post: ρ = ${formatFixed(check.spearman_outcomes_vs_persuasion, 2)}\n` +
        plantedCampaignLine(run.plantedCampaignTotal, impact) +
        renderOutcomesTruthCheck(doc.who_moves_outcomes) +
        `\nExplore: clout report --db ${dbFlag ?? DEMO_DB} [--type donation] [--json]   (total ${secs(t0)})\n`,
    );
    return EXIT.OK;
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
    `p = ${formatFixed(r.p!, 3)}\n` +
    (r.calibration ? `  ${calibrationSentence(r.calibration) ?? ''}\n` : '')
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
