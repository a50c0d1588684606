/**
 * Confounded comparisons with a planted effect (issue 21), shared by `npm run check:compare` and the calibration
 * test. Units are accounts: followers (heavy-tailed; the analyst logs them), activity (standardised posts per week),
 * country (US, DE, BR) and account age in years. Big, active accounts are more likely to get the shout-out and also
 * do better without it, so the naive difference is biased upwards.
 *
 * With f = (log(1 + followers) − 6)/1.5 and a = activity:
 *   constant              logit e = −1 + 0.8 f + 0.5 a + 0.4·DE − 0.3·BR;  Y = 2 + 1.5 f + a + 0.5·DE + 0.05·age + 2 T + ε
 *   heterogeneous         same score; the effect 2 + f varies with size (the ATT exceeds the ATE)
 *   outcome_misspecified  same score; Y adds f² and 1.5·sin(2a): a linear outcome model is wrong, the score is right
 *   score_misspecified    logit e adds 0.5 f² + 0.5 f·a: the linear logit is wrong, the outcome model is right
 *   weak_overlap          logit e = −1.5 + 2.2 f + 1.2 a: scores pile up near 0 and 1
 *   counts                constant's score; Y ~ Poisson(exp(0.5 + 0.4 f + 0.3 a + 0.2·DE + log(1.5)·T)) — for the Poisson model
 * ε ~ N(0, 2²). The truth is the population ATT (or ATE), E[μ₁(X) − μ₀(X) | T = 1], by Monte Carlo over 10⁶ units.
 */
import { Rng } from '../src/domain/index.js';
import type { CompareData, Estimand } from '../src/analysis/compare/index.js';

export const COMPARE_DESIGNS = ['constant', 'heterogeneous', 'outcome_misspecified', 'score_misspecified', 'weak_overlap', 'counts'] as const;
export type CompareDesign = (typeof COMPARE_DESIGNS)[number];

const COUNTRIES = ['US', 'DE', 'BR'] as const;

interface Unit {
  followers: number;
  activity: number;
  country: number;
  age: number;
  e: number;
  /** Mean outcome without and with the shout-out. */
  mu0: number;
  mu1: number;
}

function drawUnit(rng: Rng, design: CompareDesign): Unit {
  const lf = rng.normal(6, 1.5);
  const followers = Math.max(0, Math.floor(Math.expm1(lf)));
  const f = (Math.log1p(followers) - 6) / 1.5;
  const a = rng.normal();
  const u = rng.uniform();
  const country = u < 0.5 ? 0 : u < 0.8 ? 1 : 2;
  const de = country === 1 ? 1 : 0, br = country === 2 ? 1 : 0;
  const age = 10 * rng.uniform();
  let eta = -1 + 0.8 * f + 0.5 * a + 0.4 * de - 0.3 * br;
  if (design === 'score_misspecified') eta += 0.5 * f * f + 0.5 * f * a - 0.5;
  if (design === 'weak_overlap') eta = -1.5 + 2.2 * f + 1.2 * a;
  const e = 1 / (1 + Math.exp(-eta));
  let mu0: number, mu1: number;
  if (design === 'counts') {
    mu0 = Math.exp(0.5 + 0.4 * f + 0.3 * a + 0.2 * de);
    mu1 = 1.5 * mu0;
  } else {
    mu0 = 2 + 1.5 * f + a + 0.5 * de + 0.05 * age;
    if (design === 'outcome_misspecified') mu0 += f * f + 1.5 * Math.sin(2 * a);
    mu1 = mu0 + (design === 'heterogeneous' ? 2 + f : 2);
  }
  return { followers, activity: a, country, age, e, mu0, mu1 };
}

/** Simulates replication `rep` of a design: n units, seeded by (design, rep, seed). */
export function simulateCompare(design: CompareDesign, n: number, rep: number, seed = 1): CompareData {
  const rng = new Rng(seed * 1_000_003 + COMPARE_DESIGNS.indexOf(design) * 10_007 + rep);
  const followers = new Float64Array(n), activity = new Float64Array(n), age = new Float64Array(n);
  const country: string[] = new Array<string>(n);
  const treatment = new Uint8Array(n), outcome = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = drawUnit(rng, design);
    followers[i] = u.followers;
    activity[i] = u.activity;
    age[i] = u.age;
    country[i] = COUNTRIES[u.country]!;
    const t = rng.uniform() < u.e ? 1 : 0;
    treatment[i] = t;
    const mu = t ? u.mu1 : u.mu0;
    outcome[i] = design === 'counts' ? rng.poisson(mu) : mu + rng.normal(0, 2);
  }
  return {
    treatment,
    outcome,
    covariates: [
      { name: 'followers', values: followers, log: true },
      { name: 'activity', values: activity },
      { name: 'country', values: country, categorical: true },
      { name: 'age', values: age },
    ],
  };
}

const truthCache = new Map<string, number>();

/** The population ATT or ATE of a design, by Monte Carlo over 10⁶ units (cached). */
export function designTruth(design: CompareDesign, estimand: Estimand): number {
  const k = `${design}/${estimand}`;
  const cached = truthCache.get(k);
  if (cached !== undefined) return cached;
  const rng = new Rng(424242 + COMPARE_DESIGNS.indexOf(design));
  let sumAll = 0, sumTreated = 0, weightTreated = 0;
  const N = 1_000_000;
  for (let i = 0; i < N; i++) {
    const u = drawUnit(rng, design);
    const d = u.mu1 - u.mu0;
    sumAll += d;
    // E[d | T = 1] = E[e d] / E[e]
    sumTreated += u.e * d;
    weightTreated += u.e;
  }
  truthCache.set(`${design}/ate`, sumAll / N);
  truthCache.set(`${design}/att`, sumTreated / weightTreated);
  return truthCache.get(k)!;
}

/** One method's record over the replications of a design. */
export interface MethodScore {
  method: string;
  bias: number;
  /** Root mean squared error. */
  rmse: number;
  coverage: number;
  width: number;
  reps: number;
}

/** A design's scores: per method (and the naive difference), plus the worst |SMD| after matching per replication. */
export interface DesignScore {
  design: CompareDesign;
  truth: number;
  methods: MethodScore[];
  /** Share of replications whose matched sample has |SMD| < 0.1 on every covariate, and the mean of the worst |SMD|. */
  balanced: number;
  worstSmd: number;
  /** Mean share of treated units dropped by the caliper. */
  dropped: number;
  /** Per covariate, the mean over replications of the SMD after matching and of its absolute value. */
  meanSmd: Record<string, number>;
  meanAbsSmd: Record<string, number>;
}

/** Runs `reps` replications of n units through `analyse` and scores each method against the design's truth. */
export function scoreCompare(
  design: CompareDesign,
  n: number,
  reps: number,
  estimand: Estimand,
  analyse: (data: CompareData, rep: number) => import('../src/analysis/compare/index.js').CompareResult,
  seed = 1,
): DesignScore {
  const truth = designTruth(design, estimand);
  const acc = new Map<string, { err: number; sq: number; cover: number; width: number; count: number }>();
  const add = (name: string, est: number, lo: number, hi: number): void => {
    const a = acc.get(name) ?? { err: 0, sq: 0, cover: 0, width: 0, count: 0 };
    a.err += est - truth;
    a.sq += (est - truth) ** 2;
    a.cover += lo <= truth && truth <= hi ? 1 : 0;
    a.width += hi - lo;
    a.count++;
    acc.set(name, a);
  };
  let balanced = 0, worst = 0, dropped = 0;
  const meanSmd: Record<string, number> = {}, meanAbsSmd: Record<string, number> = {};
  for (let r = 0; r < reps; r++) {
    const data = simulateCompare(design, n, r, seed);
    const res = analyse(data, r);
    add('naive', res.naive.estimate, res.naive.lower, res.naive.upper);
    for (const m of res.methods) add(m.method, m.estimate, m.lower, m.upper);
    for (const b of res.balance) {
      meanSmd[b.covariate] = (meanSmd[b.covariate] ?? 0) + b.smd_after / reps;
      meanAbsSmd[b.covariate] = (meanAbsSmd[b.covariate] ?? 0) + Math.abs(b.smd_after) / reps;
    }
    const w = Math.max(...res.balance.map((b) => Math.abs(b.smd_after)));
    worst += w;
    if (w < 0.1) balanced++;
    const match = res.methods.find((m) => m.method === 'matching');
    if (match) dropped += (Number(match.details.unmatched_treated) + Number(match.details.unmatched_control)) / (estimand === 'att' ? res.n_treated : res.n_treated + res.n_control);
  }
  const methods = [...acc].map(([method, a]) => ({ method, bias: a.err / a.count, rmse: Math.sqrt(a.sq / a.count), coverage: a.cover / a.count, width: a.width / a.count, reps: a.count }));
  return { design, truth, methods, balanced: balanced / reps, worstSmd: worst / reps, dropped: dropped / reps, meanSmd, meanAbsSmd };
}
