/**
 * Draws of the outcome-influence model's hyperparameters that live on a grid (uniform prior over the grid): the
 * shape a₀ of the persuasion prior, the day-effect precision ν, and the concentration of a learned tie kind's shares.
 */
import type { Rng } from '../../domain/index.js';
import { lnGamma } from '../stats/gamma.js';

/** Grid of the shape a₀ of θ's Gamma prior. */
export const A0_GRID = [0.5, 0.75, 1, 1.5, 2, 3, 4, 6];

/** Draws the shape of a Gamma(shape, rate) prior from m values with Σ log x = sumLog, on a grid (uniform prior). */
export function drawGridShape(grid: readonly number[], m: number, sumLog: number, rate: number, rng: Rng): number {
  return drawFromGrid(grid, grid.map((a) => (m === 0 ? 0 : m * (a * Math.log(rate) - lnGamma(a)) + a * sumLog)), rng);
}

/** Grid of the day-effect precision ν. */
export const NU_GRID = [2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000];

/** Draws the day-effect precision ν from its conditional on a grid (uniform prior over the grid). */
export function drawNu(eps: Float64Array, rng: Rng): number {
  let sumLog = 0, sum = 0;
  for (const e of eps) {
    sumLog += Math.log(e);
    sum += e;
  }
  const n = eps.length;
  return drawFromGrid(NU_GRID, NU_GRID.map((v) => n * (v * Math.log(v) - lnGamma(v)) + (v - 1) * sumLog - v * sum), rng);
}

/** Grid of the concentration of a learned tie kind's shares per account (Dirichlet(α, …, α)). */
export const SHARE_GRID = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2];

/**
 * Draws the concentration α of a symmetric Dirichlet over `counts.length` accounts from the Dirichlet-multinomial
 * likelihood of their counts (the shares integrated out), on a grid (uniform prior).
 */
export function drawShareConcentration(counts: ArrayLike<number>, rng: Rng): number {
  let n = 0;
  for (let a = 0; a < counts.length; a++) n += counts[a]!;
  const A = counts.length;
  return drawFromGrid(SHARE_GRID, SHARE_GRID.map((al) => {
    let l = lnGamma(A * al) - lnGamma(A * al + n);
    for (let a = 0; a < A; a++) if (counts[a]! > 0) l += lnGamma(al + counts[a]!) - lnGamma(al);
    return l;
  }), rng);
}

/** Draws a grid point with probability ∝ exp(logp) (one uniform). */
function drawFromGrid(grid: readonly number[], logp: number[], rng: Rng): number {
  const top = Math.max(...logp);
  const w = logp.map((l) => Math.exp(l - top));
  let u = rng.uniform() * w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < w.length; i++) if ((u -= w[i]!) <= 0) return grid[i]!;
  return grid[grid.length - 1]!;
}
