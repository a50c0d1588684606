/**
 * Planted truth of a synthetic world against an outcome-influence fit (bench/influence-world.ts): Spearman ρ of the
 * per-account estimates with planted persuasion, and how often 90% intervals cover each account's planted mean lift per
 * post (accounts with ≥ 5 posts; positives — planted persuasion > 0 — and zeros apart, with where the truth falls when
 * it is missed).
 */
import type { OutcomeInfluenceResult, Interval } from '../src/analysis/influence/outcome-model.js';
import { spearman } from '../src/analysis/stats/rank.js';
import type { OutcomeInfluenceInput } from '../src/report/index.js';

/** What the checks read from truth.json. */
export interface WorldTruth {
  accounts: { id: string; followers: number; persuasion: number }[];
  posts: { id: string; lift: number }[];
  framing_effects: Record<string, number>;
  sales: { caused_total: number; baseline_total: number; caused_via_click: number };
}

/** One acceptance check: its name, whether it held, and the numbers behind it. */
export type Check = [name: string, ok: boolean, value: string];

/** Coverage of one group of accounts: covered, eligible, truth above / below the interval. */
export interface Coverage {
  covered: number;
  eligible: number;
  above: number;
  below: number;
}

/** How a fit compares with the planted truth: ρ with planted persuasion and coverage (all, positives, zeros). */
export interface TruthScores {
  rho: number;
  all: Coverage;
  positives: Coverage;
  zeros: Coverage;
  /** Share of all eligible accounts covered. */
  coverage: number;
}

/** ρ(estimate, planted persuasion) and coverage of each account's planted mean lift per post (accounts with ≥ 5 posts). */
export function compareWithTruth(input: OutcomeInfluenceInput, fit: OutcomeInfluenceResult, truth: WorldTruth): TruthScores {
  const accounts = new Map(truth.accounts.map((a) => [a.id, a]));
  const lift = new Map(truth.posts.map((p) => [p.id, p.lift]));
  const liftsBy = new Map<string, number[]>();
  for (const p of input.posts) liftsBy.set(p.author_id, [...(liftsBy.get(p.author_id) ?? []), lift.get(p.id)!]);
  const empty = (): Coverage => ({ covered: 0, eligible: 0, above: 0, below: 0 });
  const all = empty(), positives = empty(), zeros = empty();
  input.authors.forEach((a, i) => {
    const s = fit.authors[i]!;
    if (s.posts < 5) return;
    const l = liftsBy.get(a)!;
    const mean = l.reduce((x, y) => x + y, 0) / l.length;
    for (const c of [all, accounts.get(a)!.persuasion > 0 ? positives : zeros]) {
      c.eligible++;
      if (s.lower <= mean && mean <= s.upper) c.covered++;
      else if (mean > s.upper) c.above++;
      else c.below++;
    }
  });
  const rho = spearman(fit.authors.map((s) => s.mean), input.authors.map((a) => accounts.get(a)!.persuasion));
  return { rho, all, positives, zeros, coverage: all.covered / Math.max(1, all.eligible) };
}

/** "covered/eligible = x% (above a, below b)". */
export function showCoverage(c: Coverage): string {
  return `${c.covered}/${c.eligible} = ${((100 * c.covered) / Math.max(1, c.eligible)).toFixed(1)}% (truth above ${c.above}, below ${c.below})`;
}

/** An interval as "mean [lower, upper]". */
export function showInterval(i: Interval): string {
  return `${i.mean.toFixed(2)} [${i.lower.toFixed(2)}, ${i.upper.toFixed(2)}]`;
}

/** Prints checks one per line, ok or MISS. */
export function printChecks(checks: Check[]): void {
  for (const [name, ok, value] of checks) console.log(`  ${ok ? 'ok  ' : 'MISS'} ${name.padEnd(48)} ${value}`);
}
