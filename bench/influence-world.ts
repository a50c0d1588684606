/**
 * The outcome-influence acceptance check on synthetic worlds too big for the test suite (issue 6: medium, several
 * seeds). For each seed: generate the world, import it, fit the model, and compare with the planted truth —
 * Spearman(estimate, planted persuasion) ≥ 0.8 while Spearman(followers, planted) ≤ 0.3; 90% intervals cover each
 * account's planted mean lift per post for 80–97% of accounts with ≥ 5 posts; the celebrity's interval includes 0 and
 * her followers rank is 1; the planted framing multipliers inside their intervals, endorsement > pitch; plus the
 * share caused and P(click | caused) against the truth, the chain's diagnostics and the fit time.
 *
 * `--variant codes` (issue 16): the same world but half the caused sales that would carry a click id carry the
 * author's discount code instead (`--code-share`, default 0.5) and 3% of baseline buyers use a coupon site's code;
 * prints the same checks plus P(code | caused), and ρ beside the click-id world's ρ for the same seed (want within 0.05).
 *
 *   node dist/bench/influence-world.js [--size medium] [--seeds 1,2,3] [--niter 400] [--keep] [--variant codes] [--code-share 0.5]
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fitOutcomeInfluence, type Interval } from '../src/analysis/influence/outcome-model.js';
import { spearman } from '../src/analysis/stats/rank.js';
import type { Size } from '../src/synth/params.js';
import { importPaths } from '../src/ingest/index.js';
import { loadInfluenceInput } from '../src/app/influence-input.js';
import { closeStore, openStore } from '../src/store/index.js';
import { generateWorld } from '../src/synth/index.js';

const BENCH = resolve(import.meta.dirname, '..', '..', '.bench');

interface Truth {
  accounts: { id: string; followers: number; persuasion: number }[];
  posts: { id: string; lift: number }[];
  framing_effects: Record<string, number>;
  sales: { caused_total: number; baseline_total: number; caused_via_click: number; caused_via_code?: number; baseline_via_code?: number };
}

/** A world variant: the default one, or discount codes in place of a share of the click ids. */
export interface WorldVariant {
  codeShare?: number;
  couponShare?: number;
}

const inside = (i: Interval, x: number): boolean => i.lower <= x && x <= i.upper;
const show = (i: Interval): string => `${i.mean.toFixed(2)} [${i.lower.toFixed(2)}, ${i.upper.toFixed(2)}]`;

/** One acceptance check: its name, whether it held, and the numbers behind it. */
export type Check = [name: string, ok: boolean, value: string];

/** Generates (or reuses) a world, fits the model and returns every acceptance check; prints them when `print`. */
export async function checkInfluenceWorld(size: Size, seed: number, niter: number, keep: boolean, print = true, variant: WorldVariant = {}): Promise<Check[]> {
  const codes = (variant.codeShare ?? 0) > 0 || (variant.couponShare ?? 0) > 0;
  const dir = join(BENCH, `influence-${size}-seed${seed}${codes ? `-codes${variant.codeShare ?? 0}-coupon${variant.couponShare ?? 0}` : ''}`);
  const db = join(dir, 'store.duckdb');
  if (!existsSync(db)) {
    const params = codes ? { sales: { codeShare: variant.codeShare ?? 0, couponShare: variant.couponShare ?? 0 } } : undefined;
    await generateWorld({ seed, size, out: join(dir, 'world'), ...(params ? { params } : {}) });
    const s = await openStore(db);
    try {
      await importPaths(s, [join(dir, 'world')], { rejectsPath: join(dir, 'rejects.ndjson') });
    } finally {
      await closeStore(s);
    }
  }
  const store = await openStore(db);
  const input = await loadInfluenceInput(store.conn, { types: ['sale'], candidates: 'outside_campaigns' }).finally(() => closeStore(store));
  const t0 = performance.now();
  const fit = fitOutcomeInfluence(input.data, { niter, burn: Math.floor(niter / 5), seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  const truth = JSON.parse(readFileSync(join(dir, 'world', 'truth.json'), 'utf8')) as Truth;
  const accounts = new Map(truth.accounts.map((a) => [a.id, a]));
  const lift = new Map(truth.posts.map((p) => [p.id, p.lift]));
  const liftsBy = new Map<string, number[]>();
  for (const p of input.posts) liftsBy.set(p.author_id, [...(liftsBy.get(p.author_id) ?? []), lift.get(p.id)!]);
  let covered = 0, eligible = 0;
  input.authors.forEach((a, i) => {
    const s = fit.authors[i]!;
    if (s.posts < 5) return;
    const l = liftsBy.get(a)!;
    eligible++;
    if (inside(s, l.reduce((x, y) => x + y, 0) / l.length)) covered++;
  });
  const planted = input.authors.map((a) => accounts.get(a)!.persuasion);
  const followers = input.authors.map((a) => accounts.get(a)!.followers);
  const rho = spearman(fit.authors.map((s) => s.mean), planted), rhoFollowers = spearman(followers, planted);
  const celebIx = followers.indexOf(Math.max(...followers));
  const celeb = fit.authors[celebIx]!;
  const ratio = (f: string): number => truth.framing_effects[f]! / truth.framing_effects.pitch!;
  const framing = Object.fromEntries(fit.framing.map((f) => [f.framing, f]));
  const share = truth.sales.caused_total / (truth.sales.caused_total + truth.sales.baseline_total);
  const pi = truth.sales.caused_via_click / truth.sales.caused_total;
  const coverage = covered / eligible;
  const checks: Check[] = [
    ['ρ(estimate, planted) ≥ 0.8', rho >= 0.8, rho.toFixed(3)],
    ['ρ(followers, planted) ≤ 0.3', rhoFollowers <= 0.3, rhoFollowers.toFixed(3)],
    ['90% coverage in 80–97%', coverage >= 0.8 && coverage <= 0.97, `${covered}/${eligible} = ${(100 * coverage).toFixed(1)}%`],
    ['celebrity: most followers, interval includes 0', input.authors[celebIx] === 'a0' && celeb.lower === 0, `${show(celeb)} P(moves) ${celeb.prob_positive.toFixed(2)}`],
    ['endorsement multiplier inside', inside(framing.endorsement!, ratio('endorsement')), `${show(framing.endorsement!)} vs ${ratio('endorsement')}`],
    ['bare-link multiplier inside', inside(framing.bare_link!, ratio('bare_link')), `${show(framing.bare_link!)} vs ${ratio('bare_link')}`],
    ['endorsement > pitch', framing.endorsement!.lower > 1, `lower ${framing.endorsement!.lower.toFixed(2)}`],
    ['share caused inside', inside(fit.share_caused, share), `${show(fit.share_caused)} vs ${share.toFixed(3)}`],
    ['P(click | caused) inside', inside(fit.click_given_caused, pi), `${show(fit.click_given_caused)} vs ${pi.toFixed(3)}`],
  ];
  const code = fit.ties.find((t) => t.kind === 'code');
  if (codes && code !== undefined) {
    const piCode = (truth.sales.caused_via_code ?? 0) / truth.sales.caused_total;
    const omegaCode = (truth.sales.baseline_via_code ?? 0) / truth.sales.baseline_total;
    checks.push(['P(code | caused) inside', inside(code.given_caused, piCode), `${show(code.given_caused)} vs ${piCode.toFixed(3)}`]);
    checks.push(['P(code | baseline) inside', inside(code.given_baseline, omegaCode), `${show(code.given_baseline)} vs ${omegaCode.toFixed(3)}`]);
  }
  const d = fit.diagnostics;
  if (!keep) rmSync(dir, { recursive: true, force: true });
  if (!print) return checks;
  console.log(`\n${size} seed ${seed}: ${input.posts.length} posts by ${input.authors.length} accounts, ${input.outcomes} sales; ${niter} sweeps in ${seconds.toFixed(1)} s`);
  for (const [name, ok, value] of checks) console.log(`  ${ok ? 'ok  ' : 'MISS'} ${name.padEnd(48)} ${value}`);
  console.log(
    `  chain: share caused R-hat ${d.share_caused.rhat.toFixed(3)} ESS ${Math.round(d.share_caused.ess)}; framing ESS ` +
      `${d.framing.map((f) => `${f.framing} ${Math.round(f.ess)}`).join(', ')}; accounts flagged ${d.authors.unconverged}/${d.authors.checked}`,
  );
  return checks;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'medium' },
      seeds: { type: 'string', default: '1,2,3' },
      niter: { type: 'string', default: '400' },
      keep: { type: 'boolean', default: false },
      variant: { type: 'string', default: 'clicks' },
      'code-share': { type: 'string', default: '0.5' },
    },
  });
  if (values.variant !== 'clicks' && values.variant !== 'codes') throw new Error(`--variant: clicks or codes, got ${values.variant}`);
  let all = true;
  for (const seed of values.seeds.split(',').map(Number)) {
    const size = values.size as Size, niter = Number(values.niter);
    const checks = await checkInfluenceWorld(size, seed, niter, values.keep);
    all = checks.every(([, ok]) => ok) && all;
    if (values.variant === 'codes') {
      const coded = await checkInfluenceWorld(size, seed, niter, values.keep, true, { codeShare: Number(values['code-share']), couponShare: 0.03 });
      const rho = (cs: Check[]): number => Number(cs[0]![2]);
      const gap = rho(coded) - rho(checks), ok = Math.abs(gap) <= 0.05;
      console.log(`  ${ok ? 'ok  ' : 'MISS'} ${'ρ(codes) within 0.05 of ρ(click ids)'.padEnd(48)} ${rho(coded).toFixed(3)} vs ${rho(checks).toFixed(3)} (${gap >= 0 ? '+' : ''}${gap.toFixed(3)})`);
      all = coded.every(([, ok]) => ok) && ok && all;
    }
  }
  console.log(all ? '\nevery check held' : '\nsome checks missed (MISS above)');
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) await main();
