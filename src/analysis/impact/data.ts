/**
 * Input stage of the impact engine: checks the series and the two periods, picks the modelling window, and
 * standardises every column with its pre-period mean and s.d. (CausalImpact `FormatInputData`,
 * `FormatInputPrePostPeriod`, `StandardizeAllVariables`, `ObservationsAreIllConditioned`).
 * The target after the pre-period is set to missing: the model never sees it.
 */
import { CloutError } from '../../domain/index.js';

/** One control series: a covariate the intervention did not touch. */
export interface ImpactControl {
  name: string;
  values: ArrayLike<number>;
}

/** What `causalImpact` analyses: a target series, optional controls and the two periods (0-based rows, inclusive). */
export interface ImpactData {
  /** The outcome; NaN marks a missing value (allowed anywhere before the post period). */
  y: ArrayLike<number>;
  /** Control series, each as long as `y`, with no missing values from the pre-period on. */
  controls?: readonly ImpactControl[];
  /** First and last row of the pre-intervention (training) period. */
  pre: readonly [number, number];
  /** First and last row of the post-intervention period whose effect is estimated. */
  post: readonly [number, number];
  /** Optional row labels (dates) for the series and the chart. */
  times?: readonly (string | number)[];
  /** Name of the target, for messages and the report. */
  target?: string;
}

/** The data as the model sees it, plus what inference needs to go back to the original scale. */
export interface PreparedData {
  /** Rows in the input and the first row of the modelling window (later of pre start and first observed y). */
  rows: number;
  start: number;
  /** Rows in the modelling window (from `start` to the last row). */
  n: number;
  /** Standardised target in the window; NaN where missing and everywhere after the pre-period. */
  y: Float64Array;
  /** The target as observed, original scale, in the window (the post period included). */
  actual: Float64Array;
  /** Standardised controls in the window (one array per kept control) and their names. */
  x: Float64Array[];
  names: string[];
  /** Pre-period end, post-period start and end, as indices into the window. */
  preEnd: number;
  postStart: number;
  postEnd: number;
  /** Target's standardisation: original = mu + sd × standardised. */
  mu: number;
  sd: number;
  /** Why inference cannot run (R aborts with a warning and an empty result), or undefined. */
  illConditioned: string | undefined;
  warnings: string[];
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Checks the periods against the number of rows; throws `usage` for bad, empty or overlapping periods. */
export function checkPeriods(pre: readonly [number, number], post: readonly [number, number], rows: number): void {
  for (const [name, p] of [['pre', pre], ['post', post]] as const) {
    if (!Array.isArray(p) || p.length !== 2 || !isInt(p[0]) || !isInt(p[1])) {
      throw new CloutError('usage', `impact: the ${name} period must be two row numbers [start, end]`);
    }
    if (p[1] < p[0]) throw new CloutError('usage', `impact: the ${name} period is empty (ends at row ${p[1]} before it starts at row ${p[0]})`);
    if (p[0] < 0 || p[1] >= rows) {
      throw new CloutError('usage', `impact: the ${name} period [${p[0]}, ${p[1]}] is outside the data (rows 0–${rows - 1})`);
    }
  }
  if (post[0] <= pre[1]) {
    throw new CloutError('usage', `impact: the periods overlap or are out of order: pre ends at row ${pre[1]}, post starts at row ${post[0]}; the post period must start after the pre period`);
  }
  if (pre[1] - pre[0] + 1 < 3) {
    throw new CloutError('input', `impact: the pre-period has ${pre[1] - pre[0] + 1} point(s); need ≥ 3`);
  }
}

/** Mean and sample s.d. of the finite values in a[from..to]; NaN when there are none (s.d. NaN for one). */
export function meanSd(a: ArrayLike<number>, from: number, to: number): { mean: number; sd: number; count: number } {
  let n = 0, sum = 0;
  for (let i = from; i <= to; i++) {
    const v = a[i]!;
    if (!Number.isNaN(v)) {
      n++;
      sum += v;
    }
  }
  if (n === 0) return { mean: NaN, sd: NaN, count: 0 };
  const mean = sum / n;
  let ss = 0;
  for (let i = from; i <= to; i++) {
    const v = a[i]!;
    if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
  }
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN, count: n };
}

/** Checks the input and returns the standardised modelling data; throws `usage` or `input` errors. */
export function prepareData(data: ImpactData, standardize: boolean): PreparedData {
  const target = data.target ?? 'y';
  const y = data.y;
  if (!y || typeof y.length !== 'number' || y.length === 0) throw new CloutError('input', 'impact: the target series is empty');
  const rows = y.length;
  if (rows < 4) throw new CloutError('input', `impact: the data have ${rows} rows; need ≥ 4 (3 before the intervention, 1 after)`);
  checkPeriods(data.pre, data.post, rows);
  if (data.times !== undefined && data.times.length !== rows) {
    throw new CloutError('input', `impact: ${data.times.length} time labels for ${rows} rows`);
  }
  for (let i = 0; i < rows; i++) {
    const v = y[i]!;
    if (typeof v !== 'number' || (!Number.isFinite(v) && !Number.isNaN(v))) {
      throw new CloutError('input', `impact: target '${target}' has a non-numeric value at row ${i}: ${String(v)}`);
    }
  }
  const controls = data.controls ?? [];
  const seen = new Set<string>();
  for (const c of controls) {
    if (c.values.length !== rows) {
      throw new CloutError('input', `impact: control '${c.name}' has ${c.values.length} values; the target has ${rows}`);
    }
    if (seen.has(c.name) || c.name === target) throw new CloutError('usage', `impact: column '${c.name}' is given twice`);
    seen.add(c.name);
  }

  const [preStart, preEnd] = data.pre;
  const [postStart, postEnd] = data.post;
  for (let i = postStart; i <= postEnd; i++) {
    if (Number.isNaN(y[i]!)) {
      throw new CloutError('input', `impact: target '${target}' is missing at row ${i} in the post period; the post period needs every value`);
    }
  }
  let firstObserved = preStart;
  while (firstObserved <= preEnd && Number.isNaN(y[firstObserved]!)) firstObserved++;
  const start = firstObserved <= preEnd ? firstObserved : preStart;
  const n = rows - start;

  for (const c of controls) {
    for (let i = start; i < rows; i++) {
      const v = c.values[i]!;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const where = i >= postStart && i <= postEnd ? 'in the post period' : i <= preEnd ? 'in the pre-period' : 'after the pre-period';
        throw new CloutError('input', `impact: control '${c.name}' is ${Number.isNaN(v) ? 'missing' : `not a number (${String(v)})`} at row ${i} ${where}; controls need a value at every row from the pre-period on`);
      }
    }
  }

  const warnings: string[] = [];
  const wPreEnd = preEnd - start;
  const ys = meanSd(y, start, preEnd);
  let illConditioned: string | undefined;
  if (ys.count === 0) illConditioned = 'the target is missing at every pre-period point';
  else if (ys.count < 3) illConditioned = `the target has ${ys.count} observed pre-period value(s); need ≥ 3`;
  else if (ys.sd === 0) illConditioned = `the target is constant (${ys.mean}) in the pre-period`;

  const mu = standardize && Number.isFinite(ys.mean) ? ys.mean : 0;
  const sd = standardize && ys.sd > 0 ? ys.sd : 1;
  const yStd = new Float64Array(n);
  const actual = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const v = y[start + t]!;
    actual[t] = v;
    yStd[t] = t <= wPreEnd ? (v - mu) / sd : NaN;
  }

  const x: Float64Array[] = [];
  const names: string[] = [];
  for (const c of controls) {
    const s = meanSd(c.values, start, preEnd);
    if (!(s.sd > 0)) {
      warnings.push(`control '${c.name}' is constant in the pre-period and carries no information; it is left out`);
      continue;
    }
    const cm = standardize ? s.mean : 0;
    const cs = standardize ? s.sd : 1;
    const col = new Float64Array(n);
    for (let t = 0; t < n; t++) col[t] = (c.values[start + t]! - cm) / cs;
    x.push(col);
    names.push(c.name);
  }
  return {
    rows,
    start,
    n,
    y: yStd,
    actual,
    x,
    names,
    preEnd: wPreEnd,
    postStart: postStart - start,
    postEnd: postEnd - start,
    mu,
    sd,
    illConditioned,
    warnings,
  };
}
