/**
 * `npm run check:impact-calibration` — issue 18's acceptance by simulation: series from designs the model does not
 * assume (bench/impact-designs.ts: steady, drift, trend, seasonal, weak control, heavy tails; pre-periods of 60, 120
 * and 240 points, 30 post points, a planted step on half), analysed by clout's default (the level's drift learned
 * from the pre-period) and by R CausalImpact's model (`r_defaults`) on the same series. Prints per design: coverage
 * of the true cumulative effect by the 95% intervals (and by pre-period length), the placebo false-positive rate, the
 * power on the planted steps, the mean interval width, the backtest's mean coverage and how often it warned; then
 * the acceptance checks.
 *
 *   node dist/bench/impact-calibration.js [--series 100] [--seed 1] [--niter 1000] [--designs steady,drift,…] [--no-backtest]
 */
import { parseArgs } from 'node:util';
import { causalImpact } from '../src/analysis/impact/index.js';
import { DESIGNS, scoreDesign, type Design, type DesignScore } from './impact-designs.js';

const { values } = parseArgs({
  options: {
    series: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    niter: { type: 'string', default: '1000' },
    designs: { type: 'string', default: DESIGNS.join(',') },
    'no-backtest': { type: 'boolean', default: false },
  },
});
const count = Number(values.series), seed = Number(values.seed), niter = Number(values.niter);
const designs = values.designs.split(',') as Design[];
for (const d of designs) if (!DESIGNS.includes(d)) throw new Error(`unknown design '${d}'; one of ${DESIGNS.join(', ')}`);

const pct = (x: number): string => (Number.isNaN(x) ? '  –' : `${(x * 100).toFixed(0).padStart(3)}%`);
const line = (name: string, s: DesignScore, seconds: number): string =>
  `  ${name.padEnd(8)} coverage ${pct(s.coverage)} [${[...s.byPre].map(([k, v]) => `${k}: ${pct(v).trim()}`).join(', ')}]  ` +
  `placebo p<0.05 ${pct(s.falsePositives)}  power ${pct(s.power)}  width ${s.width.toFixed(1).padStart(5)}  ` +
  `backtest ${pct(s.backtestCoverage)} (warned ${pct(s.warned).trim()})  ${seconds.toFixed(0)} s`;

console.log(`impact calibration: ${count} series per design, seed ${seed}, ${niter} iterations (95% intervals)`);
const results: { design: Design; clout: DesignScore; r: DesignScore }[] = [];
for (const design of designs) {
  const run = (extra: object): [DesignScore, number] => {
    const t0 = performance.now();
    const score = scoreDesign(design, count, seed, (s, i) =>
      causalImpact(s.data, { niter, seed: i + 1, seasons: s.seasons, backtest: !values['no-backtest'], ...extra }),
    );
    return [score, (performance.now() - t0) / 1000];
  };
  const [clout, tc] = run({});
  const [r, tr] = run({ r_defaults: true });
  console.log(design);
  console.log(line('clout', clout, tc));
  console.log(line('R', r, tr));
  results.push({ design, clout, r });
}

console.log('\nacceptance (clout default): coverage 92–98%, placebo false positives ≤ 7%, power ≥ R − 5 points where R is calibrated');
let ok = true;
for (const { design, clout, r } of results) {
  const cov = clout.coverage >= 0.92 && clout.coverage <= 0.98;
  const fp = clout.falsePositives <= 0.07;
  const rCalibrated = r.coverage >= 0.92 && r.coverage <= 0.98 && r.falsePositives <= 0.07;
  const power = !rCalibrated || clout.power >= r.power - 0.05;
  ok &&= cov && fp && power;
  console.log(
    `  ${design.padEnd(13)} coverage ${cov ? 'ok  ' : 'MISS'} placebo ${fp ? 'ok  ' : 'MISS'} power ${rCalibrated ? (power ? 'ok  ' : 'MISS') : 'n/a (R not calibrated)'}` +
      `${rCalibrated ? ` (${pct(clout.power).trim()} vs R ${pct(r.power).trim()})` : ''}`,
  );
}
console.log(ok ? 'all checks hold' : 'some checks do not hold');
