/**
 * The outcome model on a daily series (issue 16): a world whose conversions are removed before import, so the only
 * outcome is the daily `book_sales` series, fitted with `--series book_sales` (its control series inform the
 * baseline). Compares with the planted truth: Spearman ρ(estimate, planted persuasion) ≥ 0.6 and 90% intervals
 * covering each account's planted mean lift per post for 80–97% of accounts with ≥ 5 posts (positives and zeros apart).
 *
 *   node dist/bench/influence-series.js [--size demo] [--seeds 1,2,3] [--niter 1500] [--no-controls] [--days N] [--keep]
 */
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fitOutcomeInfluence } from '../src/analysis/influence/outcome-model.js';
import { loadInfluenceInput } from '../src/app/influence-input.js';
import { importPaths } from '../src/ingest/index.js';
import { closeStore, openStore } from '../src/store/index.js';
import { generateWorld } from '../src/synth/index.js';
import type { Size } from '../src/synth/params.js';
import { compareWithTruth, printChecks, type Check, type WorldTruth } from './influence-truth.js';

const BENCH = resolve(import.meta.dirname, '..', '..', '.bench');

/** Generates (or reuses) a world without conversions, fits the series and returns the checks. */
export async function checkSeriesWorld(size: Size, seed: number, niter: number, controls: boolean, keep: boolean, days?: number): Promise<Check[]> {
  const dir = join(BENCH, `influence-series-${size}-seed${seed}${days === undefined ? '' : `-days${days}`}`);
  const db = join(dir, 'store.duckdb');
  if (!existsSync(db)) {
    await generateWorld({ seed, size, out: join(dir, 'world'), ...(days === undefined ? {} : { params: { days } }) });
    // the conversions leave the world before import: the daily series is all the model sees
    renameSync(join(dir, 'world', 'conversions.csv'), join(dir, 'conversions.csv'));
    const s = await openStore(db);
    try {
      await importPaths(s, [join(dir, 'world')], { rejectsPath: join(dir, 'rejects.ndjson') });
    } finally {
      await closeStore(s);
    }
  }
  const truth = JSON.parse(readFileSync(join(dir, 'world', 'truth.json'), 'utf8')) as WorldTruth;
  const controlSeries = controls ? (truth.params?.controls ?? []).map((c) => c.series) : [];
  const store = await openStore(db);
  const input = await loadInfluenceInput(store.conn, { types: ['sale'], candidates: 'outside_campaigns', series: 'book_sales', controls: controlSeries }).finally(() => closeStore(store));
  const t0 = performance.now();
  const fit = fitOutcomeInfluence(input.data, { niter, burn: Math.floor(niter / 5), seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  const result = compareWithTruth(input, fit, truth, { rho: 0.6, coverage: [0.8, 0.97] });
  if (!keep) rmSync(dir, { recursive: true, force: true });
  console.log(`\n${size} seed ${seed}, series book_sales${controlSeries.length ? ` with controls ${controlSeries.join(', ')}` : ''}: ${input.posts.length} posts by ${input.authors.length} accounts, ${input.outcomes} sales in ${input.data.nBins} days; ${niter} sweeps in ${seconds.toFixed(1)} s`);
  printChecks(result.checks);
  return result.checks;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'demo' },
      seeds: { type: 'string', default: '1,2,3' },
      niter: { type: 'string', default: '1500' },
      'no-controls': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      days: { type: 'string' },
    },
  });
  let all = true;
  for (const seed of values.seeds.split(',').map(Number)) {
    const checks = await checkSeriesWorld(values.size as Size, seed, Number(values.niter), !values['no-controls'], values.keep, values.days === undefined ? undefined : Number(values.days));
    all = checks.every(([, ok]) => ok) && all;
  }
  console.log(all ? '\nevery check held' : '\nsome checks missed (MISS above)');
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) await main();
