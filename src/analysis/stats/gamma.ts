/**
 * The log-gamma function (Lanczos approximation, g = 7, n = 9; Press et al., Numerical Recipes §6.1) and the Gamma
 * distribution's log density.
 */

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(z) for z > 0 (Lanczos, g = 7; the reflection formula below ½). */
export function lnGamma(z: number): number {
  const c = LANCZOS;
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  z -= 1;
  let x = c[0]!;
  for (let i = 1; i < 9; i++) x += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

/** Log density of Gamma(shape, rate) at x > 0. */
export function gammaLogDensity(x: number, shape: number, rate: number): number {
  return shape * Math.log(rate) - lnGamma(shape) + (shape - 1) * Math.log(x) - rate * x;
}
