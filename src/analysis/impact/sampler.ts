/**
 * The Gibbs sampler of bsts (Scott & Varian 2014), one sweep per iteration:
 *  1. states | β, variances — simulation smoother (Durbin & Koopman 2002) on y − Xβ;
 *  2. each state variance | states — conjugate inverse gamma, truncated at its upper limit;
 *  3. (γ, σ²_obs, β) | states — spike-and-slab on the residual y − Zα (or σ²_obs alone without regression).
 * The first `burn` sweeps are dropped; each kept sweep stores the state-plus-regression contribution at every time
 * point, from which inference.ts draws the posterior predictive. Seeded: the same Rng gives the same draws.
 */
import type { Rng } from '../../domain/index.js';
import { KalmanKernel } from './kalman.js';
import type { StateSpaceModel } from './model.js';
import { SimulationSmoother } from './simulation-smoother.js';
import { SpikeSlabSampler } from './spike-slab.js';
import { drawVariance } from './variance.js';
import { LearnedLevelStep } from './learned-variance.js';

/** What the sampler keeps from each sweep after burn-in (standardised scale). */
export interface Draws {
  /** Kept sweeps S and time points n. */
  kept: number;
  n: number;
  /** Z_t α_t + x_tᵀβ per kept sweep (row-major S × n). */
  contribution: Float64Array;
  /** Observation s.d. per kept sweep. */
  sigmaObs: Float64Array;
  /** State-noise s.d.s per kept sweep (row-major S × noises) and the noises' names. */
  noiseSd: Float64Array;
  noiseNames: string[];
  /** Static regression coefficients and indicators per kept sweep (row-major S × p); p = 0 without regression. */
  p: number;
  beta: Float64Array;
  gamma: Uint8Array;
}

/** Sampler settings. */
export interface GibbsSettings {
  niter: number;
  burn: number;
  /** Called every few sweeps with the number done (for progress bars). */
  onProgress?: (done: number, total: number) => void;
}

/** Runs the Gibbs sampler on a model and returns the kept draws. */
export function runGibbs(model: StateSpaceModel, y: Float64Array, settings: GibbsSettings, rng: Rng): Draws {
  const { n } = model;
  const { niter, burn } = settings;
  const kept = niter - burn;
  const kernel = new KalmanKernel(model);
  const smoother = new SimulationSmoother(kernel);
  const nq = model.noises.length;
  for (let i = 0; i < nq; i++) kernel.q[i] = model.noises[i]!.prior.initial;
  const reg = model.regression;
  const p = reg ? reg.p : 0;
  const spikeSlab = reg ? new SpikeSlabSampler(reg) : undefined;
  let h = reg ? reg.sigma.initial : model.observation.initial;

  const observed = model.observed;
  let nObs = 0;
  for (let t = 0; t < n; t++) nObs += observed[t]!;
  const yAdj = new Float64Array(n);
  const contribution = new Float64Array(n);
  const xty = new Float64Array(p);
  const active = new Int32Array(p);

  const out: Draws = {
    kept,
    n,
    contribution: new Float64Array(kept * n),
    sigmaObs: new Float64Array(kept),
    noiseSd: new Float64Array(kept * nq),
    noiseNames: model.noises.map((s) => s.name),
    p,
    beta: new Float64Array(kept * p),
    gamma: new Uint8Array(kept * p),
  };
  const every = Math.max(1, Math.floor(niter / 50));

  const levelNoise = model.noises[0]!;
  const learned = levelNoise.learned
    ? new LearnedLevelStep(model, 0, model.noises.findIndex((s) => s.name === 'slope'), levelNoise.learned.lower, levelNoise.learned.upper)
    : undefined;
  const drawn = model.noises.map((noise) => !noise.learned);
  const trendOnly = new Float64Array(n);
  let haveStates = false;

  for (let iter = 0; iter < niter; iter++) {
    // 1. states given β (and first any learned s.d., with the states integrated out)
    let yIn = y;
    if (reg && spikeSlab) {
      const beta = spikeSlab.beta;
      let nz = 0;
      for (let j = 0; j < p; j++) if (beta[j] !== 0) active[nz++] = j;
      for (let t = 0; t < n; t++) {
        if (!observed[t]) {
          yAdj[t] = NaN;
          continue;
        }
        let s = y[t]!;
        const row = t * p;
        for (let a = 0; a < nz; a++) s -= reg.X[row + active[a]!]! * beta[active[a]!]!;
        yAdj[t] = s;
      }
      yIn = yAdj;
    }
    if (learned && haveStates) {
      // the data less the current seasonal and dynamic states: what the trend alone must explain
      for (let t = 0; t < n; t++) trendOnly[t] = yIn[t]! - (contribution[t]! - smoother.level[t]!);
      kernel.q[0] = learned.update(rng, trendOnly, h, kernel.q, iter, burn);
    }
    smoother.draw(rng, yIn, h, contribution);
    haveStates = true;
    // 2. state variances (conjugate draws; learned ones moved above)
    for (let i = 0; i < nq; i++) if (drawn[i]) kernel.q[i] = drawVariance(rng, model.noises[i]!.prior, smoother.df[i]!, smoother.ss[i]!);
    // 3. regression and observation variance given the states
    let yty = 0;
    xty.fill(0);
    for (let t = 0; t < n; t++) {
      if (!observed[t]) continue;
      const e = y[t]! - contribution[t]!;
      yty += e * e;
      if (reg) {
        const row = t * p;
        for (let j = 0; j < p; j++) xty[j] = xty[j]! + reg.X[row + j]! * e;
      }
    }
    if (reg && spikeSlab) {
      spikeSlab.draw(rng, xty, yty, nObs);
      h = spikeSlab.sigma2;
    } else {
      h = drawVariance(rng, model.observation, nObs, yty);
    }

    if (iter >= burn) {
      const s = iter - burn;
      const base = s * n;
      if (reg && spikeSlab) {
        const beta = spikeSlab.beta;
        let nz = 0;
        for (let j = 0; j < p; j++) if (beta[j] !== 0) active[nz++] = j;
        for (let t = 0; t < n; t++) {
          let c = contribution[t]!;
          const row = t * p;
          for (let a = 0; a < nz; a++) c += reg.X[row + active[a]!]! * beta[active[a]!]!;
          out.contribution[base + t] = c;
        }
        for (let j = 0; j < p; j++) {
          out.beta[s * p + j] = beta[j]!;
          out.gamma[s * p + j] = spikeSlab.gamma[j]!;
        }
      } else {
        out.contribution.set(contribution, base);
      }
      out.sigmaObs[s] = Math.sqrt(h);
      for (let i = 0; i < nq; i++) out.noiseSd[s * nq + i] = Math.sqrt(kernel.q[i]!);
    }
    if (settings.onProgress && (iter + 1) % every === 0) settings.onProgress(iter + 1, niter);
  }
  return out;
}
