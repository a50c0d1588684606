/**
 * The chi-square distribution's upper tail through the regularized incomplete gamma function: a power series below
 * x = a + 1 and a continued fraction (modified Lentz) above (Press et al., Numerical Recipes, §6.2).
 */
import { lnGamma } from '../../stats/gamma.js';

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_TERMS = 10_000;

/** P(a, x) = γ(a, x)/Γ(a) by its power series (best for x < a + 1). */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a, sum = term;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

/** Q(a, x) = Γ(a, x)/Γ(a) by its continued fraction (best for x ≥ a + 1). */
function upperFraction(a: number, x: number): number {
  let b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
  for (let n = 1; n < MAX_TERMS; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h * Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

/** The regularized upper incomplete gamma function Q(a, x) for a > 0, x ≥ 0. */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}

/** P(X ≥ x) for X chi-square with `df` degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}
