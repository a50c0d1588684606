/**
 * The design matrix of a matched comparison: the user's covariate columns expanded into numbers. A numeric column is
 * used as it is, or as log(1 + x) when asked (heavy-tailed counts: followers, posts; negative values are refused); a
 * categorical column becomes one 0/1 column per level except the reference, the most frequent level (ties: the
 * level first in code-point order), named `country=DE`. Missing values (NaN, empty text) are refused with the
 * column and the first bad row named — the propensity model has no place for them. A column that is constant in the
 * data carries no information about treatment; it is dropped with a warning.
 */
import { CloutError } from '../../domain/index.js';
import type { CovariateColumn } from './types.js';

/** The expanded covariates: n × p row-major, no intercept. */
export interface Design {
  n: number;
  p: number;
  /** Row-major n × p values. */
  X: Float64Array;
  /** Expanded column names (`followers`, `country=DE`). */
  names: string[];
  /** The covariate each expanded column comes from. */
  sources: string[];
  warnings: string[];
}

/** Expands the covariate columns of `n` units into a numeric design (log, one-hot, constant columns dropped). */
export function buildDesign(covariates: readonly CovariateColumn[], n: number): Design {
  const columns: { name: string; source: string; values: Float64Array }[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const cov of covariates) {
    if (seen.has(cov.name)) throw new CloutError('input', `compare: covariate '${cov.name}' is given twice`);
    seen.add(cov.name);
    if (cov.values.length !== n) throw new CloutError('input', `compare: covariate '${cov.name}' has ${cov.values.length} values for ${n} units`);
    if (cov.categorical) {
      if (cov.log) throw new CloutError('input', `compare: covariate '${cov.name}' cannot be both categorical and log-transformed`);
      const expanded = oneHot(cov);
      if (expanded.length === 0) warnings.push(`covariate '${cov.name}' has a single level in the data; dropped`);
      for (const c of expanded) columns.push(c);
      continue;
    }
    if (!(cov.values instanceof Float64Array)) throw new CloutError('input', `compare: covariate '${cov.name}' has text values; mark it categorical`);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = cov.values[i]!;
      if (!Number.isFinite(v)) throw new CloutError('input', `compare: covariate '${cov.name}' is missing or not finite at row ${i}`);
      if (cov.log && v < 0) throw new CloutError('input', `compare: covariate '${cov.name}' is negative (${v}) at row ${i}; log(1 + x) needs x ≥ 0`);
      values[i] = cov.log ? Math.log1p(v) : v;
    }
    if (isConstant(values)) {
      warnings.push(`covariate '${cov.name}' is constant; dropped`);
      continue;
    }
    columns.push({ name: cov.name, source: cov.name, values });
  }
  const p = columns.length;
  const X = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const v = columns[j]!.values;
    for (let i = 0; i < n; i++) X[i * p + j] = v[i]!;
  }
  return { n, p, X, names: columns.map((c) => c.name), sources: columns.map((c) => c.source), warnings };
}

/** One 0/1 column per non-reference level; the reference is the most frequent level (ties: code-point order). */
function oneHot(cov: CovariateColumn): { name: string; source: string; values: Float64Array }[] {
  const n = cov.values.length;
  const codes = new Int32Array(n);
  const levels: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const raw = cov.values[i];
    const level = typeof raw === 'number' ? (Number.isFinite(raw) ? String(raw) : '') : (raw ?? '');
    if (level.trim() === '') throw new CloutError('input', `compare: covariate '${cov.name}' is missing at row ${i}`);
    let code = index.get(level);
    if (code === undefined) {
      code = levels.length;
      index.set(level, code);
      levels.push(level);
    }
    codes[i] = code;
  }
  const counts = new Int32Array(levels.length);
  for (let i = 0; i < n; i++) counts[codes[i]!]!++;
  const order = levels.map((_, k) => k).sort((a, b) => counts[b]! - counts[a]! || cmp(levels[a]!, levels[b]!));
  const reference = order[0]!;
  const kept = order.slice(1).sort((a, b) => cmp(levels[a]!, levels[b]!));
  return kept.map((k) => {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) if (codes[i] === k) values[i] = 1;
    return { name: `${cov.name}=${levels[k]!}`, source: cov.name, values };
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isConstant(v: Float64Array): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}
