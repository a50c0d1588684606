/**
 * The outcome-influence acceptance check on synthetic worlds (issues 6 and 16): generate a world, import it, fit the
 * model, and compare with the planted truth. Four variants of what the model is given, each beside an **oracle** fit
 * (`--oracle`, on by default: the model handed the planted baseline — truth.json daily.baseline_rate, held fixed —
 * and the planted kernel, so only the effects are learned: what any method could get from this world's data):
 *
 * - `clicks`: the conversions with their click ids. ρ(estimate, planted persuasion) ≥ 0.8 (≥ 0.85 on small worlds)
 *   while ρ(followers, planted) ≤ 0.3; 90% intervals cover each account's planted mean lift per post for 80–97% of
 *   accounts with ≥ 5 posts (85–95% on small worlds; positives and zeros reported apart); the celebrity's interval
 *   includes 0; framing multipliers, share caused and P(click | caused) inside their intervals.
 * - `stripped`: every tie removed from the conversions (on the model input: every tied count moves into its bin's
 *   untied count), i.e. timing alone. ρ ≥ 0.5, or ≥ the oracle's ρ − 0.05 where the oracle reaches less; coverage
 *   85–95%.
 * - `codes`: the world regenerated with half the caused sales that would carry a click id carrying the author's
 *   discount code instead, and 3% of baseline buyers using a coupon site's code. The clicks checks plus P(code | caused)
 *   and P(code | baseline) inside, and ρ within 0.05 of the click-id world's ρ (same size and seed).
 * - `series`: the daily `book_sales` series as the outcome (`clout influence --series book_sales`; the conversions are
 *   not read), its control series informing the baseline. ρ ≥ 0.6 (or ≥ the oracle's − 0.05) and coverage 80–97%.
 *
 *   node dist/bench/influence-world.js [--size demo,small,medium] [--seeds 1,2,3] [--medium-seeds 1] [--niter 400]
 *     [--variant clicks,stripped,codes,series] [--no-oracle] [--keep]
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fitOutcomeInfluence, type Interval, type OutcomeInfluenceData } from '../src/analysis/influence/outcome-model.js';
import { spearman } from '../src/analysis/stats/rank.js';
import { SIZES, type Size } from '../src/synth/params.js';
import { importPaths } from '../src/ingest/index.js';
import { loadInfluenceInput } from '../src/app/influence-input.js';
import { closeStore, openStore } from '../src/store/index.js';
import { generateWorld } from '../src/synth/index.js';
import { compareWithTruth, printChecks, showCoverage, showInterval as show, type Check, type TruthScores, type WorldTruth } from './influence-truth.js';

export type { Check } from './influence-truth.js';

const BENCH = resolve(import.meta.dirname, '..', '..', '.bench');

/** What the model is given (see the file's comment). */
export const VARIANTS = ['clicks', 'stripped', 'codes', 'series'] as const;
export type Variant = (typeof VARIANTS)[number];

interface TruthFile extends WorldTruth {
  sales: WorldTruth['sales'] & { caused_via_code?: number; baseline_via_code?: number };
  daily: { date: string; baseline_rate?: number }[];
  params: { sales: { kernelMeanDays: number; horizonDays: number }; controls: { series: string }[] };
}

const inside = (i: Interval, x: number): boolean => i.lower <= x && x <= i.upper;

/**
 * The same data with every tie removed: each tied count moves into its bin's untied count and no bin has ties, so the
 * model sees timing alone (the store is untouched; the stripping is done on the model input).
 */
export function stripTies(data: OutcomeInfluenceData): OutcomeInfluenceData {
  const unclicked = Float64Array.from(data.unclicked);
  data.clickedBin.forEach((b, i) => (unclicked[b]! += data.clickedCount[i]!));
  const { tieKinds: _k, clickedKind: _c, clickedAuthor: _a, tieBins: _b, tiePosts: _p, tieLearned: _l, ...rest } = data;
  return {
    ...rest,
    unclicked,
    clickedBin: new Int32Array(0),
    clickedPost: new Int32Array(0),
    clickedCount: new Float64Array(0),
    clickedShare: new Float64Array(0),
    clickBin: new Uint8Array(data.nBins),
  };
}

/** The planted baseline rate of every bin: the day's planted rate (truth.json daily.baseline_rate) spread evenly over its bins. */
export function plantedBaseline(data: OutcomeInfluenceData, truth: TruthFile): Float64Array {
  const byDay = new Map(truth.daily.map((d) => [d.date, d.baseline_rate]));
  const mu = new Float64Array(data.nBins);
  for (let b = 0; b < data.nBins; b++) {
    const date = new Date(data.startMs + b * data.binMs).toISOString().slice(0, 10);
    const rate = byDay.get(date);
    if (rate === undefined) throw new Error(`truth.json has no baseline_rate for ${date}; regenerate the world`);
    mu[b] = Math.max(1e-9, (rate * data.binMs) / 86_400_000);
  }
  return mu;
}

/** The world's folder and store, generated and imported on first use (codes worlds are their own worlds). */
async function worldStore(size: Size, seed: number, codes: boolean): Promise<{ dir: string; db: string }> {
  const dir = join(BENCH, `influence-${size}-seed${seed}${codes ? '-codes' : ''}`);
  const db = join(dir, 'store.duckdb');
  if (!existsSync(db)) {
    const params = codes ? { sales: { codeShare: 0.5, couponShare: 0.03 } } : undefined;
    await generateWorld({ seed, size, out: join(dir, 'world'), ...(params ? { params } : {}) });
    const s = await openStore(db);
    try {
      await importPaths(s, [join(dir, 'world')], { rejectsPath: join(dir, 'rejects.ndjson') });
    } finally {
      await closeStore(s);
    }
  }
  return { dir, db };
}

/** The result of one world and variant: its checks and the model's (and oracle's) scores. */
export interface WorldCheck {
  checks: Check[];
  model: TruthScores;
  oracle: TruthScores | null;
}

/** Fits one variant of one world (and its oracle) and returns every acceptance check; prints them when `print`. */
export async function checkInfluenceWorld(size: Size, seed: number, niter: number, options: { variant?: Variant; oracle?: boolean; print?: boolean } = {}): Promise<WorldCheck> {
  const variant = options.variant ?? 'clicks', print = options.print ?? true;
  const { dir, db } = await worldStore(size, seed, variant === 'codes');
  const truth = JSON.parse(readFileSync(join(dir, 'world', 'truth.json'), 'utf8')) as TruthFile;
  const series = variant === 'series';
  const store = await openStore(db);
  const input = await loadInfluenceInput(store.conn, {
    types: ['sale'],
    candidates: 'outside_campaigns',
    ...(series ? { series: 'book_sales', controls: truth.params.controls.map((c) => c.series) } : {}),
  }).finally(() => closeStore(store));
  const data = variant === 'stripped' ? stripTies(input.data) : input.data;
  const t0 = performance.now();
  const fit = fitOutcomeInfluence(data, { niter, burn: Math.floor(niter / 5), seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  const oracleFit = options.oracle
    ? fitOutcomeInfluence(data, {
        niter,
        burn: Math.floor(niter / 5),
        seed: 1,
        fixedBaseline: plantedBaseline(data, truth),
        kernelMeanMs: truth.params.sales.kernelMeanDays * 86_400_000,
        horizonMs: truth.params.sales.horizonDays * 86_400_000,
        learnKernel: false,
      })
    : null;
  const m = compareWithTruth(input, fit, truth);
  const o = oracleFit === null ? null : compareWithTruth(input, oracleFit, truth);
  const accounts = new Map(truth.accounts.map((a) => [a.id, a]));
  const followers = input.authors.map((a) => accounts.get(a)!.followers);
  const rhoFollowers = spearman(followers, input.authors.map((a) => accounts.get(a)!.persuasion));
  const celebIx = followers.indexOf(Math.max(...followers));
  const celeb = fit.authors[celebIx]!;
  const ratio = (f: string): number => truth.framing_effects[f]! / truth.framing_effects.pitch!;
  const framing = Object.fromEntries(fit.framing.map((f) => [f.framing, f]));
  const shareCaused = truth.sales.caused_total / (truth.sales.caused_total + truth.sales.baseline_total);
  const pi = truth.sales.caused_via_click / truth.sales.caused_total;
  const coverage = m.coverage;
  const small = size === 'small' || size === 'demo';
  const rhoOrOracle = (goal: number): [string, boolean, string] => [
    `ρ(estimate, planted) ≥ ${o ? `min(${goal}, oracle − 0.05)` : goal}`,
    m.rho >= Math.min(goal, o ? o.rho - 0.05 : goal),
    `${m.rho.toFixed(3)}${o ? ` (oracle ${o.rho.toFixed(3)})` : ''}`,
  ];
  const coverageIn = (lo: number, hi: number): Check => [`90% coverage in ${lo * 100}–${hi * 100}%`, coverage >= lo && coverage <= hi, showCoverage(m.all)];
  const celebrity: Check = ['celebrity: most followers, interval includes 0', input.authors[celebIx] === 'a0' && celeb.lower === 0, `${show(celeb)} P(moves) ${celeb.prob_positive.toFixed(2)}`];
  const shareInside: Check = ['share caused inside', inside(fit.share_caused, shareCaused), `${show(fit.share_caused)} vs ${shareCaused.toFixed(3)}`];
  const checks: Check[] = [];
  if (variant === 'stripped') checks.push(rhoOrOracle(0.5), coverageIn(0.85, 0.95), celebrity, shareInside);
  else if (series) checks.push(rhoOrOracle(0.6), coverageIn(0.8, 0.97), celebrity);
  else {
    const rhoGoal = small ? 0.85 : 0.8;
    checks.push(
      [`ρ(estimate, planted) ≥ ${rhoGoal}`, m.rho >= rhoGoal, m.rho.toFixed(3)],
      ['ρ(followers, planted) ≤ 0.3', rhoFollowers <= 0.3, rhoFollowers.toFixed(3)],
      small ? coverageIn(0.85, 0.95) : coverageIn(0.8, 0.97),
      celebrity,
      ['endorsement multiplier inside', inside(framing.endorsement!, ratio('endorsement')), `${show(framing.endorsement!)} vs ${ratio('endorsement')}`],
      ['bare-link multiplier inside', inside(framing.bare_link!, ratio('bare_link')), `${show(framing.bare_link!)} vs ${ratio('bare_link')}`],
      ['endorsement > pitch', framing.endorsement!.lower > 1, `lower ${framing.endorsement!.lower.toFixed(2)}`],
      shareInside,
      ['P(click | caused) inside', inside(fit.click_given_caused, pi), `${show(fit.click_given_caused)} vs ${pi.toFixed(3)}`],
    );
    const code = fit.ties.find((t) => t.kind === 'code');
    if (variant === 'codes' && code !== undefined) {
      const piCode = (truth.sales.caused_via_code ?? 0) / truth.sales.caused_total;
      const omegaCode = (truth.sales.baseline_via_code ?? 0) / truth.sales.baseline_total;
      checks.push(['P(code | caused) inside', inside(code.given_caused, piCode), `${show(code.given_caused)} vs ${piCode.toFixed(3)}`]);
      checks.push(['P(code | baseline) inside', inside(code.given_baseline, omegaCode), `${show(code.given_baseline)} vs ${omegaCode.toFixed(3)}`]);
    }
    checks.push(['kernel mean (h) inside, when learned', !fit.kernel_mean_hours.learned || inside(fit.kernel_mean_hours, truth.params.sales.kernelMeanDays * 24), `${show(fit.kernel_mean_hours)} vs ${truth.params.sales.kernelMeanDays * 24}${fit.kernel_mean_hours.learned ? '' : ' (held)'}`]);
  }
  if (!print) return { checks, model: m, oracle: o };
  const d = fit.diagnostics;
  const what = series ? `series book_sales (${input.data.nBins} days)` : `${input.outcomes} sales`;
  console.log(`\n${size} seed ${seed} (${variant}): ${input.posts.length} posts by ${input.authors.length} accounts, ${what}; ${niter} sweeps in ${seconds.toFixed(1)} s`);
  printChecks(checks);
  const row = (name: string, x: TruthScores): string =>
    `  ${name.padEnd(7)} ρ ${x.rho.toFixed(3)}  coverage ${showCoverage(x.all)}  positives ${showCoverage(x.positives)}  zeros ${showCoverage(x.zeros)}`;
  console.log(row('model', m));
  if (o) console.log(row('oracle', o));
  console.log(
    `  chain: share caused R-hat ${d.share_caused.rhat.toFixed(3)} ESS ${Math.round(d.share_caused.ess)}; framing ESS ` +
      `${d.framing.map((f) => `${f.framing} ${Math.round(f.ess)}`).join(', ')}; accounts flagged ${d.authors.unconverged}/${d.authors.checked}`,
  );
  return { checks, model: m, oracle: o };
}

/** Removes a world's folders (click-id world and codes world). */
export function dropWorld(size: Size, seed: number): void {
  for (const suffix of ['', '-codes']) rmSync(join(BENCH, `influence-${size}-seed${seed}${suffix}`), { recursive: true, force: true });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'demo,small,medium' },
      seeds: { type: 'string', default: '1,2,3' },
      'medium-seeds': { type: 'string', default: '1' },
      niter: { type: 'string', default: '400' },
      variant: { type: 'string', default: VARIANTS.join(',') },
      'no-oracle': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const sizes = values.size.split(',') as Size[];
  const variants = values.variant.split(',') as Variant[];
  for (const s of sizes) if (!(SIZES as readonly string[]).includes(s)) throw new Error(`--size: one or more of ${SIZES.join(', ')}, got ${s}`);
  for (const v of variants) if (!(VARIANTS as readonly string[]).includes(v)) throw new Error(`--variant: one or more of ${VARIANTS.join(', ')}, got ${v}`);
  const niter = Number(values.niter);
  let all = true;
  for (const size of sizes) {
    const seeds = (size === 'medium' || size === 'large' ? values['medium-seeds'] : values.seeds).split(',').map(Number);
    // demo worlds are the series' acceptance worlds; the other variants run on small and larger worlds
    const here = size === 'demo' ? variants.filter((v) => v === 'series') : variants;
    for (const seed of seeds) {
      const done = new Map<Variant, WorldCheck>();
      for (const variant of here) {
        const r = await checkInfluenceWorld(size, seed, niter, { variant, oracle: !values['no-oracle'], print: true });
        done.set(variant, r);
        all = r.checks.every(([, ok]) => ok) && all;
      }
      const clicks = done.get('clicks'), codes = done.get('codes');
      if (clicks && codes) {
        const gap = codes.model.rho - clicks.model.rho, ok = Math.abs(gap) <= 0.05;
        console.log(`\n${size} seed ${seed}: ${ok ? 'ok  ' : 'MISS'} ${'ρ(codes) within 0.05 of ρ(click ids)'.padEnd(48)} ${codes.model.rho.toFixed(3)} vs ${clicks.model.rho.toFixed(3)} (${gap >= 0 ? '+' : ''}${gap.toFixed(3)})`);
        all = ok && all;
      }
      if (!values.keep) dropWorld(size, seed);
    }
  }
  console.log(all ? '\nevery check held' : '\nsome checks missed (MISS above)');
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) await main();
