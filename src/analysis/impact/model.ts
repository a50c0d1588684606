/**
 * The structural time-series model of CausalImpact (R `ConstructModel`, bsts `AddLocalLevel`, `AddLocalLinearTrend`,
 * `AddSeasonal`, `AddDynamicRegression`, `SpikeSlabPrior`): state layout, transition structure and every prior,
 * built once from the prepared data and the options. Nothing here samples.
 *
 *   y_t = Z_t α_t + x_tᵀβ + ε_t,  ε_t ~ N(0, σ²_obs)
 *   α = [level, (slope), seasonal_1..S−1, (dynamic coefficients 1..k)]
 */
import type { PreparedData } from './data.js';
import type { ResolvedImpactOptions } from './options.js';

/** bsts constants used by CausalImpact. */
export const MODEL_CONSTANTS = {
  /** Prior sample size of the level's s.d. (CausalImpact `kLocalLevelPriorSampleSize`). */
  levelPriorSampleSize: 32,
  /** Prior sample size of `SdPrior`'s default (slope, seasonal). */
  defaultPriorSampleSize: 0.01,
  /** Prior sample size of the observation s.d. with dynamic regression (`kDynamicRegressionPriorSampleSize`). */
  dynamicPriorSampleSize: 32,
  /** Prior sample size of each dynamic coefficient's s.d. (`DynamicRegressionRandomWalkOptions`). */
  dynamicCoefficientSampleSize: 1,
  /** Upper limit of the observation s.d. as a multiple of sdy (bsts `.SetDefaultPrior`). */
  sigmaUpperFactor: 1.2,
  /** Range of a learned level s.d., as shares of sdy: log-uniform over these three decades. */
  learnedLevelRange: [0.001, 1] as const,
  /** Starting value of a learned level s.d. (R's guess), as a share of sdy. */
  learnedLevelStart: 0.01,
} as const;

/** A conjugate prior on a variance: 1/σ² ~ Gamma(df/2, ss/2), with σ ≤ upper (bsts `SdPrior`). */
export interface VariancePrior {
  df: number;
  ss: number;
  upper: number;
  /** Starting value of σ² for the sampler (`SdPrior` initial value: sigma.guess²). */
  initial: number;
}

/** Builds an `SdPrior(sigma.guess, sample.size, upper.limit)`. */
export function sdPrior(sigmaGuess: number, sampleSize: number, upper = Infinity): VariancePrior {
  return { df: sampleSize, ss: sampleSize * sigmaGuess * sigmaGuess, upper, initial: Math.min(sigmaGuess, upper) ** 2 };
}

/** A state disturbance: which state it drives, when, and its variance prior. */
export interface StateNoise {
  name: string;
  /** Index into the state vector. */
  index: number;
  /** True when it only acts at season changes (the seasonal disturbance). */
  seasonal: boolean;
  prior: VariancePrior;
  /**
   * Set when the s.d. is learned rather than held by `prior`: a log-uniform prior on [lower, upper], sampled by a
   * Metropolis step on the likelihood with the states integrated out (sampler.ts).
   */
  learned?: { lower: number; upper: number };
}

/** Static regression with the spike-and-slab prior (BoomSpikeSlab `SpikeSlabPrior`, bsts `.SetDefaultPrior`). */
export interface RegressionSpec {
  /** Columns: an intercept, then the controls. */
  p: number;
  names: string[];
  /** Design matrix over the whole window, row-major n × p. */
  X: Float64Array;
  /** XᵀX over the rows where the target is observed (row-major p × p). */
  xtxObserved: Float64Array;
  /** Unscaled prior precision of the slab, Ω⁻¹ = κ[w·diag(XᵀX/n) + (1 − w)·XᵀX/n] (β ~ N(0, σ²Ω)). */
  omegaInv: Float64Array;
  /** Prior inclusion probabilities π_j = min(1, expected model size / p); 0 for an all-zero column. */
  pi: Float64Array;
  /** Residual variance prior: 1/σ² ~ Gamma(df/2, ss/2), ss = df (1 − R²) sdy², σ ≤ 1.2 sdy. */
  sigma: VariancePrior;
  /** Inclusion indicators proposed per iteration (all when ≥ p). */
  maxFlips: number;
}

/** The full model: state layout, transition structure, initial state and priors. */
export interface StateSpaceModel {
  /** Time points and state dimension. */
  n: number;
  m: number;
  /** 1 for a local level, 2 for a local linear trend (level, slope). */
  trendSize: number;
  /** Seasonal block: first index, number of seasons S (block size S − 1; S = 1 means none). */
  seasonStart: number;
  seasons: number;
  /** 1 where the transition t → t + 1 enters a new season. */
  seasonChange: Uint8Array;
  /** Dynamic regression block: first index, number of coefficients and the controls (row-major n × k). */
  dynStart: number;
  dynK: number;
  xDyn: Float64Array;
  /** Initial state mean and (diagonal) variance. */
  a1: Float64Array;
  p1: Float64Array;
  noises: StateNoise[];
  /** Observation variance prior when there is no static regression. */
  observation: VariancePrior;
  regression: RegressionSpec | undefined;
  /** 1 where the (standardised) target is observed. */
  observed: Uint8Array;
  /** s.d. of the observed target (standardised: 1). */
  sdy: number;
}

/** Builds the state-space model and its priors from the prepared data (R `ConstructModel`). */
export function buildModel(d: PreparedData, o: ResolvedImpactOptions): StateSpaceModel {
  const n = d.n;
  const observed = new Uint8Array(n);
  let firstY = NaN, lastY = NaN, count = 0, sum = 0;
  for (let t = 0; t < n; t++) {
    const v = d.y[t]!;
    if (!Number.isNaN(v)) {
      observed[t] = 1;
      if (Number.isNaN(firstY)) firstY = v;
      lastY = v;
      count++;
      sum += v;
    }
  }
  const mean = sum / count;
  let ss = 0;
  for (let t = 0; t < n; t++) if (observed[t]) ss += (d.y[t]! - mean) ** 2;
  const sdy = Math.sqrt(ss / (count - 1));

  const trendSize = o.trend === 'local_linear_trend' ? 2 : 1;
  const seasons = o.seasons;
  const seasonStart = trendSize;
  const seasonSize = seasons > 1 ? seasons - 1 : 0;
  const dynamic = o.dynamic_regression && d.x.length > 0;
  const dynK = dynamic ? d.x.length : 0;
  const dynStart = seasonStart + seasonSize;
  const m = dynStart + dynK;

  const seasonChange = new Uint8Array(n);
  for (let t = 0; t < n; t++) seasonChange[t] = (t + 1) % o.season_duration === 0 ? 1 : 0;

  const a1 = new Float64Array(m);
  const p1 = new Float64Array(m);
  a1[0] = firstY;
  p1[0] = sdy * sdy;
  if (trendSize === 2) {
    a1[1] = (lastY - firstY) / n; // bsts: (final.y − initial.y) / length(y)
    p1[1] = sdy * sdy;
  }
  for (let i = 0; i < seasonSize; i++) p1[seasonStart + i] = sdy * sdy;
  for (let j = 0; j < dynK; j++) p1[dynStart + j] = 1; // N(0, (sdy/sdx)²) = N(0, 1) on standardised data

  const [lowerShare, upperShare] = MODEL_CONSTANTS.learnedLevelRange;
  const noises: StateNoise[] = [
    o.prior_level_sd === 'learned'
      ? {
          name: 'level',
          index: 0,
          seasonal: false,
          prior: sdPrior(MODEL_CONSTANTS.learnedLevelStart * sdy, MODEL_CONSTANTS.levelPriorSampleSize, sdy),
          learned: { lower: lowerShare * sdy, upper: upperShare * sdy },
        }
      : {
          name: 'level',
          index: 0,
          seasonal: false,
          // CausalImpact's level prior, also used for the level of a local linear trend.
          prior: sdPrior(o.prior_level_sd * sdy, MODEL_CONSTANTS.levelPriorSampleSize, sdy),
        },
  ];
  if (trendSize === 2) {
    noises.push({ name: 'slope', index: 1, seasonal: false, prior: sdPrior(0.01 * sdy, MODEL_CONSTANTS.defaultPriorSampleSize, sdy) });
  }
  if (seasonSize > 0) {
    noises.push({ name: 'seasonal', index: seasonStart, seasonal: true, prior: sdPrior(0.01 * sdy, MODEL_CONSTANTS.defaultPriorSampleSize, sdy) });
  }
  const xDyn = new Float64Array(n * dynK);
  for (let j = 0; j < dynK; j++) {
    const col = d.x[j]!;
    let s = 0, s2 = 0;
    for (let t = 0; t < n; t++) {
      xDyn[t * dynK + j] = col[t]!;
      s += col[t]!;
      s2 += col[t]! * col[t]!;
    }
    const sdx = Math.sqrt(Math.max((s2 - (s * s) / n) / (n - 1), 1e-300));
    noises.push({
      name: `dynamic:${d.names[j]}`,
      index: dynStart + j,
      seasonal: false,
      prior: sdPrior((0.01 * sdy) / sdx, MODEL_CONSTANTS.dynamicCoefficientSampleSize),
    });
  }

  const observation = dynamic
    ? sdPrior(fixedLevelSd(o) * sdy, MODEL_CONSTANTS.dynamicPriorSampleSize, 0.1 * sdy)
    : sdPrior(sdy, MODEL_CONSTANTS.defaultPriorSampleSize, MODEL_CONSTANTS.sigmaUpperFactor * sdy);
  const regression = !dynamic && d.x.length > 0 ? buildRegression(d, o, observed, sdy) : undefined;
  return {
    n, m, trendSize, seasonStart, seasons, seasonChange, dynStart, dynK, xDyn, a1, p1, noises, observation, regression, observed, sdy,
  };
}

/** The level prior's guess when fixed; R's 0.01 when learned (R ties the dynamic regression's noise prior to it). */
function fixedLevelSd(o: ResolvedImpactOptions): number {
  return o.prior_level_sd === 'learned' ? MODEL_CONSTANTS.learnedLevelStart : o.prior_level_sd;
}

/** The static regression and its spike-and-slab prior. */
function buildRegression(d: PreparedData, o: ResolvedImpactOptions, observed: Uint8Array, sdy: number): RegressionSpec {
  const n = d.n;
  const p = d.x.length + 1;
  const X = new Float64Array(n * p);
  for (let t = 0; t < n; t++) {
    X[t * p] = 1;
    for (let j = 1; j < p; j++) X[t * p + j] = d.x[j - 1]![t]!;
  }
  const xtxAll = new Float64Array(p * p);
  const xtxObserved = new Float64Array(p * p);
  for (let t = 0; t < n; t++) {
    const row = t * p;
    for (let i = 0; i < p; i++) {
      const xi = X[row + i]!;
      for (let j = 0; j < p; j++) {
        const v = xi * X[row + j]!;
        xtxAll[i * p + j] += v;
        if (observed[t]) xtxObserved[i * p + j] += v;
      }
    }
  }
  const w = o.diagonal_shrinkage;
  const omegaInv = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      const v = xtxAll[i * p + j]! / n;
      omegaInv[i * p + j] = o.prior_information_weight * (i === j || p === 1 ? v : (1 - w) * v);
    }
  }
  const pi = new Float64Array(p);
  const prob = Math.min(1, o.expected_model_size / p);
  for (let j = 0; j < p; j++) {
    let allZero = true;
    for (let t = 0; t < n && allZero; t++) if (X[t * p + j] !== 0) allZero = false;
    pi[j] = allZero ? 0 : prob;
  }
  const sigmaGuess = Math.sqrt(1 - o.expected_r2) * sdy;
  return {
    p,
    names: ['(intercept)', ...d.names],
    X,
    xtxObserved,
    omegaInv,
    pi,
    sigma: sdPrior(sigmaGuess, o.prior_df, MODEL_CONSTANTS.sigmaUpperFactor * sdy),
    maxFlips: o.max_flips === -1 ? p : Math.min(p, o.max_flips),
  };
}
