/**
 * Use case "did the shout-out work, compared with similar units that got none?" (`clout compare`). One options schema
 * for the three doors of the command: a CSV file of units (matching, IPW, AIPW over a propensity score), a panel CSV
 * (difference in differences, event study), and the store (units are accounts, treatment is a shout-out by one
 * account). This module reads a CSV of units into the estimators' input, keeping every row it cannot use with its line
 * and reason.
 */
import { z } from 'zod';
import {
  COMPARE_DEFAULTS as D,
  compareGroups,
  type CompareData,
  type CompareMethod,
  type CompareOptions as CompareGroupsOptions,
  type CompareResult,
  type CovariateColumn,
} from '../analysis/compare/index.js';
import type { PanelOptions } from '../analysis/compare/index.js';
import { CloutError } from '../domain/index.js';
import { columnIndex, readTextTable, type TextTable } from '../ingest/text-table.js';
import { SHOUTOUT_OPTIONS } from './compare-store.js';

const METHODS = ['matching', 'ipw', 'aipw'] as const satisfies readonly CompareMethod[];

/** Options of `compare`: one schema for the CLI's flags (and any other door); the estimators' defaults are the kernel's. */
export const COMPARE_OPTIONS = z
  .object({
    treatment: z.string().min(1).optional().describe('the treatment column: 1/0, true/false or yes/no (CSV of units)'),
    outcome: z.string().min(1).optional().describe('the outcome column (CSV files); with --shoutout-by: conversions (default) or followers'),
    covariates: z.array(z.string().min(1)).default([]).describe('columns measured BEFORE treatment that drive both treatment and outcome'),
    categorical: z.array(z.string().min(1)).default([]).describe('covariates that are categories (one-hot, the most frequent level as reference)'),
    log: z.array(z.string().min(1)).default([]).describe('covariates used as log(1 + x): heavy-tailed counts such as followers'),
    id: z.string().min(1).optional().describe('a column naming each unit (shown for units outside common support)'),
    method: z.enum([...METHODS, 'all']).default('all').describe('the estimator(s)'),
    estimand: z.enum(['att', 'ate']).default(D.estimand).describe('att: the effect on the units that were treated; ate: the effect if every unit were treated'),
    caliper: z.number().min(0).max(10).default(D.caliper ?? 0).describe('matching caliper in s.d. of the logit score (0 = none)'),
    ratio: z.number().int().min(1).max(100).default(D.ratio).describe('controls matched to each treated unit'),
    replace: z.boolean().default(D.replace).describe('match with replacement (a control may serve several treated units)'),
    bias_adjust: z.boolean().default(D.bias_adjust).describe("matching: correct each match's outcome for its remaining covariate gap (Abadie–Imbens)"),
    bootstrap: z.number().int().min(0).max(100_000).default(D.bootstrap).describe('multiplier-bootstrap draws for the IPW and AIPW intervals (0 = the analytic interval)'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(D.seed).describe('seed of the bootstrap and the cross-fitting folds'),
    outcome_model: z.enum(['linear', 'poisson']).default(D.outcome_model).describe("the outcome model of AIPW and of matching's bias correction: linear, or poisson for counts"),
    folds: z.number().int().min(2).max(20).default(D.folds).describe("AIPW's cross-fitting folds"),
    trim: z.number().gt(0).lt(0.5).optional().describe('IPW: leave out units whose score is outside [trim, 1 − trim] (default: none)'),
    level: z.number().gt(0).lt(1).default(D.level).describe('interval level'),
    panel: z.boolean().default(false).describe('the CSV is a panel: one row per unit and period (difference in differences, event study)'),
    unit: z.string().min(1).optional().describe('panel: the unit column'),
    time: z.string().min(1).optional().describe('panel: the period column (a date or an integer)'),
    treated_at: z.string().min(1).optional().describe("panel: the column with the unit's first treated period (empty or 'never' = never treated)"),
    comparison: z.enum(['not-yet-treated', 'never-treated']).optional().describe('panel: the units compared with each cohort (default not-yet-treated)'),
    leads: z.number().int().min(0).max(1000).optional().describe('panel: event-study periods shown before treatment (default 10)'),
    lags: z.number().int().min(0).max(1000).optional().describe('panel: event-study periods shown from treatment on (default 10)'),
    shoutout_by: SHOUTOUT_OPTIONS.shape.shoutout_by.optional().describe('store: the account (id or handle) whose reposts, quotes and mentions are the treatment'),
    window: SHOUTOUT_OPTIONS.shape.window.describe('store: the window after each shout-out in which the outcome is counted, like 7d or 48h'),
    type: SHOUTOUT_OPTIONS.shape.type.describe('store: the conversion type counted (default: the most common in the store)'),
  })
  .strict();
export type CompareOptions = z.output<typeof COMPARE_OPTIONS>;

/** The estimator options the kernel takes, from the command's options. */
export function estimatorOptions(o: CompareOptions): CompareGroupsOptions {
  return {
    methods: o.method === 'all' ? [...METHODS] : [o.method],
    estimand: o.estimand,
    caliper: o.caliper === 0 ? null : o.caliper,
    ratio: o.ratio,
    replace: o.replace,
    bias_adjust: o.bias_adjust,
    bootstrap: o.bootstrap,
    seed: o.seed,
    outcome_model: o.outcome_model,
    folds: o.folds,
    level: o.level,
    trim: o.trim ?? null,
  };
}

/** The panel estimators' options, from the command's options (unset ones are left to the kernel's defaults). */
export function panelOptions(o: CompareOptions): PanelOptions {
  return {
    ...(o.comparison !== undefined ? { comparison: o.comparison } : {}),
    ...(o.leads !== undefined ? { leads: o.leads } : {}),
    ...(o.lags !== undefined ? { lags: o.lags } : {}),
    level: o.level,
  };
}

/** A CSV row the comparison could not use: its line and why. */
export interface RejectedRow {
  line: number;
  reason: string;
}

/** Where the units came from: the file, its rows, the rows used and those left out. */
export interface CompareInput {
  file: string;
  treatment: string;
  outcome: string;
  rows: number;
  used: number;
  rejected: RejectedRow[];
}

/** The `clout compare DATA.csv --json` document. */
export interface CompareDoc extends CompareResult {
  input: CompareInput;
}

/** What `clout compare DATA.csv` asks of the file. */
export interface CsvCompareRequest {
  treatment: string;
  outcome: string;
  covariates: string[];
  categorical: string[];
  log: string[];
  id?: string | undefined;
}

const MISSING = new Set(['', 'na', 'nan', 'null', 'none', 'n/a']);
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TREATED = new Set(['1', 'true', 'yes', 't', 'y']);
const CONTROL = new Set(['0', 'false', 'no', 'f', 'n']);

/** Reads a CSV of units into the estimators' input; rows with a missing or unreadable value are left out and listed. */
export function compareDataFromTable(table: TextTable, req: CsvCompareRequest): { data: CompareData; input: CompareInput } {
  for (const c of [...req.categorical, ...req.log]) {
    if (!req.covariates.includes(c)) throw new CloutError('usage', `'${c}' is given as --${req.categorical.includes(c) ? 'categorical' : 'log'} but is not among --covariates (${req.covariates.join(', ') || 'none'})`);
  }
  for (const c of req.log) if (req.categorical.includes(c)) throw new CloutError('usage', `'${c}' cannot be both --categorical and --log`);
  if (req.covariates.includes(req.treatment) || req.covariates.includes(req.outcome)) {
    throw new CloutError('usage', 'the treatment and the outcome cannot also be covariates: covariates are measured before treatment');
  }
  if (req.treatment === req.outcome) throw new CloutError('usage', '--treatment and --outcome name the same column');
  const tj = columnIndex(table, req.treatment, 'treatment');
  const yj = columnIndex(table, req.outcome, 'outcome');
  const cj = req.covariates.map((c) => columnIndex(table, c, 'covariates'));
  const idj = req.id !== undefined ? columnIndex(table, req.id, 'id') : -1;
  const categorical = req.covariates.map((c) => req.categorical.includes(c));

  const treatment: number[] = [];
  const outcome: number[] = [];
  const cells: (number | string)[][] = req.covariates.map(() => []);
  const ids: string[] = [];
  const rejected: RejectedRow[] = [...table.ragged];
  table.rows.forEach((row, i) => {
    const line = table.lines[i]!;
    const t = row[tj]!.toLowerCase();
    if (!TREATED.has(t) && !CONTROL.has(t)) {
      rejected.push({ line, reason: MISSING.has(t) ? `treatment '${req.treatment}' is missing` : `treatment '${req.treatment}' is '${row[tj]}', not 1/0, true/false or yes/no` });
      return;
    }
    const y = row[yj]!;
    if (!NUMBER.test(y)) {
      rejected.push({ line, reason: MISSING.has(y.toLowerCase()) ? `outcome '${req.outcome}' is missing` : `outcome '${req.outcome}' is '${y}', not a number` });
      return;
    }
    const values: (number | string)[] = [];
    for (let k = 0; k < cj.length; k++) {
      const text = row[cj[k]!]!;
      const name = req.covariates[k]!;
      if (MISSING.has(text.toLowerCase())) return void rejected.push({ line, reason: `covariate '${name}' is missing` });
      if (categorical[k]) values.push(text);
      else if (!NUMBER.test(text)) return void rejected.push({ line, reason: `covariate '${name}' is '${text}', not a number (is it --categorical?)` });
      else {
        const x = Number(text);
        if (req.log.includes(name) && x < 0) return void rejected.push({ line, reason: `covariate '${name}' is ${text}; log(1 + x) needs x ≥ 0` });
        values.push(x);
      }
    }
    treatment.push(TREATED.has(t) ? 1 : 0);
    outcome.push(Number(y));
    values.forEach((v, k) => cells[k]!.push(v));
    ids.push(idj >= 0 ? row[idj]! : `line ${line}`);
  });
  const covariates: CovariateColumn[] = req.covariates.map((name, k) => ({
    name,
    values: categorical[k] ? (cells[k] as string[]) : Float64Array.from(cells[k] as number[]),
    ...(categorical[k] ? { categorical: true } : {}),
    ...(req.log.includes(name) ? { log: true } : {}),
  }));
  return {
    data: { treatment: Uint8Array.from(treatment), outcome: Float64Array.from(outcome), covariates, ids },
    input: { file: table.file, treatment: req.treatment, outcome: req.outcome, rows: table.rows.length + table.ragged.length, used: treatment.length, rejected: rejected.sort((a, b) => a.line - b.line) },
  };
}

/** `clout compare DATA.csv`: reads the units, runs the chosen estimators, and says which rows were left out. */
export function compareCsv(file: string, req: CsvCompareRequest, options: CompareGroupsOptions): CompareDoc {
  if (req.covariates.length === 0) throw new CloutError('usage', '--covariates A,B,… is required: without covariates measured before treatment there is nothing to adjust for, and the answer is the naive difference');
  const { data, input } = compareDataFromTable(readTextTable(file), req);
  const result = compareGroups(data, options);
  const warnings = [...result.warnings];
  if (input.rejected.length > 0) {
    const first = input.rejected.slice(0, 3).map((r) => `line ${r.line}: ${r.reason}`).join('; ');
    warnings.unshift(`${input.rejected.length} of ${input.rows} rows of ${input.file} left out (${first}${input.rejected.length > 3 ? '; …' : ''}); all are listed in the JSON's input.rejected`);
  }
  return { ...result, warnings, input };
}
