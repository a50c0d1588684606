/**
 * A wide CSV file for the causal impact engine (`clout impact DATA.csv`): a date column and numeric columns, read into
 * named columns; the target, controls and periods picked from it by name.
 */
import { readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { ImpactData } from '../analysis/impact/index.js';
import { CloutError, parseTimestamp } from '../domain/index.js';

const DATE_COLUMNS = ['date', 'time', 'day', 'timestamp', 'at', 'datetime', 'hour'];
const MISSING = new Set(['', 'na', 'nan', 'null', 'none']);
/** A decimal number as text (CSV cells and numeric flags). */
export const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A CSV file read into named numeric columns (NaN = missing) and optional row labels. */
export interface CsvTable {
  columns: string[];
  values: Map<string, Float64Array>;
  dateColumn: string | undefined;
  times: string[] | undefined;
  /** Per column, the first cell that is not a number (line, text), if any. */
  bad: Map<string, { line: number; text: string }>;
}

/** Reads a CSV (header row; optionally gzipped) into numeric columns; the date column becomes row labels. */
export function readCsvTable(path: string): CsvTable {
  if (!existsSync(path)) throw new CloutError('file_not_found', `no such file: ${path}`);
  let buf = readFileSync(path);
  if (path.endsWith('.gz')) buf = gunzipSync(buf);
  let records: string[][];
  try {
    records = parse(buf, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true }) as string[][];
  } catch (e) {
    throw new CloutError('input', `${basename(path)}: not a readable CSV file: ${(e as Error).message}`);
  }
  if (records.length < 2) throw new CloutError('input', `${basename(path)}: needs a header row and at least one data row`);
  const columns = records[0]!.map((c) => c.trim());
  const rows = records.slice(1);
  const isNumberColumn = (j: number) => rows.every((r) => MISSING.has(r[j]!.toLowerCase()) || NUMBER.test(r[j]!));
  let dateIndex = columns.findIndex((c) => DATE_COLUMNS.includes(c.toLowerCase()));
  if (dateIndex < 0 && !isNumberColumn(0)) dateIndex = 0;
  const values = new Map<string, Float64Array>();
  const bad = new Map<string, { line: number; text: string }>();
  columns.forEach((name, j) => {
    if (j === dateIndex) return;
    const col = new Float64Array(rows.length);
    rows.forEach((r, i) => {
      const text = r[j]!;
      if (MISSING.has(text.toLowerCase())) col[i] = NaN;
      else if (NUMBER.test(text)) col[i] = Number(text);
      else {
        col[i] = NaN;
        if (!bad.has(name)) bad.set(name, { line: i + 2, text });
      }
    });
    values.set(name, col);
  });
  return {
    columns,
    values,
    dateColumn: dateIndex >= 0 ? columns[dateIndex] : undefined,
    times: dateIndex >= 0 ? rows.map((r) => r[dateIndex]!) : undefined,
    bad,
  };
}

/** Parses `START..END` (dates of the date column, or 0-based row numbers) into inclusive row indices. */
export function parsePeriod(text: string, flag: string, times: readonly string[] | undefined, rows: number): [number, number] {
  const m = /^(.+?)\.\.(.+)$/.exec(text.trim());
  if (!m) throw new CloutError('usage', `--${flag} must look like START..END (dates or 0-based row numbers), got '${text}'`);
  const find = (s: string): number => {
    const t = s.trim();
    if (times) {
      let i = times.indexOf(t);
      if (i >= 0) return i;
      const ms = parseTimestamp(t);
      if (ms !== undefined) {
        i = times.findIndex((x) => parseTimestamp(x) === ms);
        if (i >= 0) return i;
      }
    }
    if (/^\d+$/.test(t)) {
      const i = Number(t);
      if (i >= rows) throw new CloutError('usage', `--${flag}: row ${i} is past the last row (${rows - 1})`);
      return i;
    }
    throw new CloutError('usage', `--${flag}: no row has the date '${t}'${times ? '' : ' (the file has no date column; use 0-based row numbers)'}`);
  };
  return [find(m[1]!), find(m[2]!)];
}

/** Builds the engine's input from a CSV table and the flags (target, controls, periods). */
export function csvImpactData(table: CsvTable, file: string, target: string, controlNames: string[], pre: string, post: string): ImpactData {
  const known = [...table.values.keys()];
  const need = (name: string): Float64Array => {
    const col = table.values.get(name);
    if (!col) {
      const what = name === table.dateColumn ? 'is the date column' : 'does not exist';
      throw new CloutError('usage', `column '${name}' ${what} in ${basename(file)}; numeric columns: ${known.join(', ')}`);
    }
    const b = table.bad.get(name);
    if (b) throw new CloutError('input', `${basename(file)} line ${b.line}, column '${name}': '${b.text}' is not a number`);
    return col;
  };
  const rows = table.times?.length ?? table.values.values().next().value?.length ?? 0;
  const y = need(target);
  const names = controlNames.length > 0 ? controlNames : known.filter((c) => c !== target);
  const controls = names.map((name) => ({ name, values: need(name) }));
  return {
    y,
    controls,
    pre: parsePeriod(pre, 'pre', table.times, rows),
    post: parsePeriod(post, 'post', table.times, rows),
    times: table.times ?? Array.from({ length: rows }, (_, i) => i),
    target,
  };
}

