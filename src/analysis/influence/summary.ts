/**
 * Summaries and convergence diagnostics of the outcome-influence sampler's kept draws: posterior means with central
 * intervals (type-7 quantiles), split-R̂ and effective sample sizes (Gelman et al., BDA3 §11.4) with plain warnings.
 */
import { effectiveSampleSize, splitRhat } from '../stats/mcmc.js';
import { quantileSorted } from '../stats/quantile.js';
import type { ChainCheck, OutcomeInfluenceData, OutcomeInfluenceDiagnostics, Interval } from './model.js';

/** Mean and central (1 − 2q) interval of draws (type-7 quantiles). */
export function summarise(xs: Float64Array, q: number): Interval {
  const sorted = Float64Array.from(xs).sort();
  let m = 0;
  for (const x of sorted) m += x;
  return { mean: m / Math.max(1, sorted.length), lower: quantileSorted(sorted, q), upper: quantileSorted(sorted, 1 - q) };
}

/** Draws k = 0..n−1 of quantity j from a row-major draws array (one row of `stride` quantities per kept draw). */
export function columnOf(draws: Float32Array | Float64Array, stride: number, j: number, n: number): Float64Array {
  const xs = new Float64Array(n);
  for (let k = 0; k < n; k++) xs[k] = draws[k * stride + j]!;
  return xs;
}

/** R̂ above this, or an ESS below the other, marks a quantity as not converged. */
const RHAT_LIMIT = 1.05, ESS_LIMIT = 100;

/** Convergence diagnostics of the kept draws (one chain: split-R̂ and ESS). */
export function diagnose(
  data: OutcomeInfluenceData,
  kept: number,
  stored: number,
  share: Float64Array,
  pi: Float64Array,
  omega: Float64Array,
  phi: Float32Array,
  authorDraws: Float32Array,
  authorPosts: { off: Int32Array },
): OutcomeInfluenceDiagnostics {
  const check = (xs: ArrayLike<number>, maxLag = Infinity): ChainCheck => ({ rhat: splitRhat(xs), ess: effectiveSampleSize(xs, maxLag) });
  const column = (draws: Float32Array, stride: number, j: number, n = kept): Float64Array => columnOf(draws, stride, j, n);
  const nf = data.framings.length, na = data.nAuthors;
  const framing = data.framings
    .map((name, f) => ({ framing: name, ...check(column(phi, nf, f)) }))
    .filter((_, f) => f !== data.referenceFraming);
  let maxRhat = 1, minEss = stored, unconverged = 0, checked = 0;
  for (let a = 0; a < na; a++) {
    if (authorPosts.off[a + 1] === authorPosts.off[a]) continue;
    const c = check(column(authorDraws, na, a, stored), 100);
    checked++;
    const rhat = Number.isNaN(c.rhat) ? 1 : c.rhat;
    if (rhat > maxRhat) maxRhat = rhat;
    if (c.ess < minEss) minEss = c.ess;
    if (rhat > RHAT_LIMIT || c.ess < ESS_LIMIT) unconverged++;
  }
  const out: OutcomeInfluenceDiagnostics = {
    share_caused: check(share),
    click_given_caused: check(pi),
    click_given_baseline: check(omega),
    framing,
    authors: { max_rhat: maxRhat, min_ess: minEss, unconverged, checked },
    warnings: [],
  };
  const globals: [string, ChainCheck][] = [
    ['share caused', out.share_caused],
    ['P(click | caused)', out.click_given_caused],
    ['P(click | baseline)', out.click_given_baseline],
    ...framing.map((f): [string, ChainCheck] => [`framing ${f.framing}`, f]),
  ];
  for (const [name, c] of globals) {
    if (c.rhat > RHAT_LIMIT || c.ess < ESS_LIMIT) out.warnings.push(`${name}: R-hat ${c.rhat.toFixed(3)}, ESS ${Math.round(c.ess)} (want R-hat ≤ ${RHAT_LIMIT} and ESS ≥ ${ESS_LIMIT}); run more iterations`);
  }
  if (unconverged > 0.05 * checked) out.warnings.push(`${unconverged} of ${checked} accounts have R-hat > ${RHAT_LIMIT} or ESS < ${ESS_LIMIT}; run more iterations`);
  return out;
}
