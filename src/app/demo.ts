/**
 * Use case "show it on a world whose truth is known" (`clout demo`): generate the demo world, import it into a new
 * store, build the credit report, measure the birthday campaign's causal impact, build the full report (outcome model
 * with the report's defaults), and check each against the planted truth. Returns the one `--json` document.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { ImpactResult } from '../analysis/impact/index.js';
import { runImpact } from './impact-run.js';
import { CloutError } from '../domain/index.js';
import { buildCreditReport, type CreditReport } from '../report/index.js';
import { checkAgainstTruth, checkOutcomesAgainstTruth, type OutcomesTruthCheck, type PlantedOutcomes, type TruthCheck } from '../synth/check/index.js';
import { closeStore, openStore } from '../store/db.js';
import { generate, type GenerateResult } from './generate.js';
import { importFiles, type ImportSummary } from './import.js';
import { storeImpactInput, type StoreImpactInput } from './impact.js';
import { loadLastTouchRows } from './last-touch.js';
import { parseOptions } from './options.js';
import { REPORT_OPTIONS, report as fullReport } from './report.js';

export { renderOutcomesTruthCheck } from '../synth/check/index.js';

/** The demo's own store, started afresh on each run unless another path is given. */
export const DEMO_DB = './clout-demo.duckdb';
/** The folder the demo world is written to. */
export const DEMO_OUT = './clout-demo';
/** The campaign whose causal impact the demo measures. */
export const DEMO_CAMPAIGN = 'cmp_birthday';

/** What the demo is asked: the world's seed, its folder, and the store (`dbGiven`: named by the user, never overwritten). */
export interface DemoRequest {
  seed: number;
  out: string;
  dbPath: string;
  dbGiven: boolean;
}

/** The `clout demo --json` document. */
export interface DemoDoc {
  world: GenerateResult;
  import: ImportSummary;
  report: CreditReport;
  truth_check: TruthCheck;
  campaign_impact: { campaign: string; outcome: string; event: StoreImpactInput['event']; notes: string[] } & ImpactResult;
  who_moves_outcomes: OutcomesTruthCheck;
}

/** The demo's document, with what its text shows beside it. */
export interface DemoRun {
  document: DemoDoc;
  /** The campaign's planted total effect (from truth.json). */
  plantedCampaignTotal: number | undefined;
  /** Iterations of the outcome model. */
  niter: number;
}

/** Called after each of the five steps with what was done and its seconds. */
export type DemoStepHook = (step: number, done: string, seconds: number) => void;

/** Runs the demo pipeline: generate → import → credit report → campaign impact → full report → truth checks. */
export async function runDemo(req: DemoRequest, onStep: DemoStepHook = () => {}): Promise<DemoRun> {
  const { seed, out, dbPath } = req;
  // The demo owns its default store and starts it afresh; a store named by the user is never overwritten.
  if (existsSync(dbPath)) {
    if (req.dbGiven) throw new CloutError('usage', `${dbPath} already exists; the demo needs a new store path`);
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}.wal`, { force: true });
  }
  const secs = (since: number): number => (performance.now() - since) / 1000;

  const t0 = performance.now();
  const world = await generate({ seed, size: 'demo', out, format: 'csv', gzip: false });
  const rows = world.files.reduce((s, f) => s + f.rows, 0);
  onStep(1, `generated the demo world (seed ${seed}): ${rows.toLocaleString('en-US')} records in ${out}`, secs(t0));

  const t1 = performance.now();
  const store = await openStore(dbPath);
  try {
    const imported = await importFiles(store, [out], { rejectsPath: `${dbPath}.rejects.ndjson` });
    const good = imported.files.reduce((s, f) => s + f.imported + f.updated + f.unchanged, 0);
    onStep(2, `imported ${good.toLocaleString('en-US')} records into ${dbPath} (${imported.rejected_total} rejected)`, secs(t1));

    const t2 = performance.now();
    const salesOptions = { types: ['sale'], rankBy: 'conversions_per_post' as const };
    const report = buildCreditReport(await loadLastTouchRows(store.conn, salesOptions), salesOptions);
    const truth = JSON.parse(readFileSync(world.truthPath, 'utf8')) as PlantedOutcomes & {
      accounts: { id: string; persuasion: number; role?: string }[];
      campaigns: { id: string; planted_total: number }[];
    };
    const check = checkAgainstTruth(report, truth);
    onStep(3, 'built the report', secs(t2));

    // Did the birthday appeal change what the charity received? (causal impact on the campaign's metric series)
    const t3 = performance.now();
    const input = await storeImpactInput(store.conn, { campaign: DEMO_CAMPAIGN, controls: [], types: [] });
    const impact = await runImpact(input.data, { seed });
    onStep(4, `measured the campaign's causal impact on ${input.outcome}`, secs(t3));

    // Who moves outcomes: the whole report (outcome model with the report's defaults) against the planted truth.
    const t4 = performance.now();
    const defaults = parseOptions(REPORT_OPTIONS, {});
    const full = await fullReport(store.conn, defaults);
    const outcomes = checkOutcomesAgainstTruth(full, truth, 5);
    onStep(5, `fitted the outcome model (${defaults.niter} iterations) and built the full report`, secs(t4));
    const campaign_impact = { campaign: DEMO_CAMPAIGN, outcome: input.outcome, event: input.event, notes: input.notes, ...impact };
    return {
      document: { world, import: imported, report, truth_check: check, campaign_impact, who_moves_outcomes: outcomes },
      plantedCampaignTotal: truth.campaigns.find((c) => c.id === DEMO_CAMPAIGN)?.planted_total,
      niter: defaults.niter,
    };
  } finally {
    await closeStore(store);
  }
}
