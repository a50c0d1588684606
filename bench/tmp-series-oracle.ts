import { readFileSync } from 'node:fs';
import { fitOutcomeInfluence } from '../src/analysis/influence/outcome-model.js';
import { loadInfluenceInput } from '../src/app/influence-input.js';
import { closeStore, openStore } from '../src/store/index.js';
import { compareWithTruth, printChecks, type WorldTruth } from './influence-truth.js';
const dir = process.argv[2]!;
const truth = JSON.parse(readFileSync(dir + '/world/truth.json', 'utf8')) as WorldTruth & { daily: { baseline_mean: number; caused_sales: number; baseline_sales: number }[] };
const store = await openStore(dir + '/store.duckdb');
const input = await loadInfluenceInput(store.conn, { types: ['sale'], candidates: 'outside_campaigns', series: 'book_sales', controls: [] }).finally(() => closeStore(store));
const mode = process.argv[3] ?? 'mean';
const x = truth.daily.map((d) => mode === 'mean' ? d.baseline_mean : d.baseline_sales + 0.01);
const m = x.reduce((a, b) => a + b, 0) / x.length;
input.data.baselineX = Float64Array.from(x, (v) => v / m);
for (const kappa of [2]) {
  const fit = fitOutcomeInfluence(input.data, { niter: 1500, burn: 300, seed: 1, kappa });
  const r = compareWithTruth(input, fit, truth, { rho: 0.6, coverage: [0.8, 0.97] });
  console.log('mode', mode, 'kappa', kappa, 'share', fit.share_caused.mean.toFixed(3));
  printChecks(r.checks);
}
const caused = truth.daily.reduce((a, d) => a + d.caused_sales, 0), all = truth.daily.reduce((a, d) => a + d.caused_sales + d.baseline_sales, 0);
console.log('true share', (caused / all).toFixed(3));
