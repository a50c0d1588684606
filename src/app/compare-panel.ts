/**
 * Use case "did units that got a shout-out change, against units that did not yet?" over a researcher's long panel
 * CSV (`clout compare --panel DATA.csv --unit COL --time COL --outcome COL --treated-at COL`): one row per unit and
 * period, read into the panel estimators' input (analysis/compare/panel) and run.
 *
 * The file's conventions:
 * - time: an integer period (2019, 7, -3) or a date / timestamp (YYYY-MM-DD or ISO 8601; no zone = UTC), the same
 *   kind on every row; the periods are the distinct times that carry an outcome, in order;
 * - treated-at: the unit's first treated time, of the same kind as time, on every row of the unit (the same value
 *   each time: treatment is absorbing); empty or `never` (any case) = never treated. A time between two periods
 *   means the first period at or after it; a time after the last period means not treated within the panel (counted
 *   as never treated, with a note). R's `did` package writes 0 for never treated: a 0 before the first integer
 *   period is refused with that hint rather than read as "treated before the panel";
 * - outcome: a number; an empty or NA outcome is a missing unit-period (skipped, counted; the panel is then unbalanced).
 * Every bad row is reported with file, line and reason (the first five listed, and the count).
 */
import { z } from 'zod';
import { comparePanel, type PanelOptions } from '../analysis/compare/index.js';
import type { PanelData, PanelResult } from '../analysis/compare/types.js';
import { CloutError, formatDate, formatTimestamp, parseTimestamp } from '../domain/index.js';
import { columnIndex, readTextTable } from '../ingest/text-table.js';

export type { PanelOptions, PanelResult };

/** The columns of a panel CSV, as the flags name them. */
export const PANEL_CSV_REQUEST = z
  .object({
    unit: z.string().min(1).describe('column naming the unit (account, creator, developer)'),
    time: z.string().min(1).describe('column of the period: an integer or a date'),
    outcome: z.string().min(1).describe('column of the numeric outcome'),
    treatedAt: z.string().min(1).describe("column of the unit's first treated time; empty or 'never' = never treated"),
  })
  .strict();
export type PanelCsvRequest = z.input<typeof PANEL_CSV_REQUEST>;

/** A panel read from a CSV file: the estimators' input, its labels, and notes about what reading it did. */
export interface PanelCsvData extends PanelData {
  unitLabels: string[];
  periodLabels: string[];
  timeKind: 'integer' | 'date';
  /** Plain-words notes (skipped rows, units treated after the panel); they lead the result's warnings. */
  notes: string[];
}

const MISSING = new Set(['', 'na', 'nan', 'null', 'none']);
const NEVER = new Set(['', 'never']);
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const SHOW_BAD = 5;

/** Reads a long panel CSV (header row; optionally gzipped) into the panel estimators' input; see the module banner for its conventions. */
export function panelFromCsv(file: string, request: PanelCsvRequest): PanelCsvData {
  const req = parseRequest(request);
  const table = readTextTable(file);
  const name = table.file;
  const header = table.columns;
  const col = (flag: string, column: string): number => columnIndex(table, column, flag);
  const jUnit = col('unit', req.unit), jTime = col('time', req.time), jOutcome = col('outcome', req.outcome), jTreated = col('treated-at', req.treatedAt);
  if (new Set([jUnit, jTime, jOutcome, jTreated]).size < 4) {
    throw new CloutError('usage', `compare --panel: --unit, --time, --outcome and --treated-at must name four different columns (got ${[req.unit, req.time, req.outcome, req.treatedAt].join(', ')})`);
  }
  const rows = table.rows.map((record, i) => ({ record, line: table.lines[i]! }));

  // The time column's kind: integer periods when every time cell is an integer, dates otherwise.
  const timeKind: 'integer' | 'date' = rows.every((r) => INTEGER.test(r.record[jTime] ?? '')) ? 'integer' : 'date';
  const readTime = (text: string): number | undefined => {
    if (timeKind === 'integer') return INTEGER.test(text) ? Number(text) : undefined;
    return parseTimestamp(text);
  };
  const kindText = timeKind === 'integer' ? 'an integer period' : 'a date (YYYY-MM-DD or ISO 8601)';

  const bad: { line: number; reason: string }[] = [];
  const fail = (line: number, reason: string): void => {
    bad.push({ line, reason });
  };
  interface Row { unit: number; time: number; value: number }
  const kept: Row[] = [];
  const unitIndex = new Map<string, number>();
  const unitLabels: string[] = [];
  const treatedOf: { text: string; value: number | null; line: number }[] = [];
  const seen = new Map<string, number>();
  let skippedMissing = 0;
  for (const r of table.ragged) fail(r.line, r.reason);
  for (const { record: r, line } of rows) {
    const u = r[jUnit]!, timeText = r[jTime]!, outText = r[jOutcome]!, trText = r[jTreated]!;
    if (u === '') {
      fail(line, `empty unit ('${req.unit}')`);
      continue;
    }
    const time = readTime(timeText);
    if (time === undefined) {
      fail(line, `time '${timeText}' is not ${kindText}`);
      continue;
    }
    let treated: number | null = null;
    if (!NEVER.has(trText.toLowerCase())) {
      const v = readTime(trText);
      if (v === undefined) {
        fail(line, `treated-at '${trText}' is not ${kindText} like the time column, nor empty or 'never'`);
        continue;
      }
      treated = v;
    }
    let value = NaN;
    if (!MISSING.has(outText.toLowerCase())) {
      if (!NUMBER.test(outText)) {
        fail(line, `outcome '${outText}' is not a number`);
        continue;
      }
      value = Number(outText);
    }
    let i = unitIndex.get(u);
    if (i === undefined) {
      i = unitLabels.length;
      unitIndex.set(u, i);
      unitLabels.push(u);
      treatedOf.push({ text: trText, value: treated, line });
    } else if (treatedOf[i]!.value !== treated) {
      const first = treatedOf[i]!;
      fail(line, `unit '${u}' has treated-at '${trText || 'never'}' here but '${first.text || 'never'}' on line ${first.line}; it must be the same on every row of a unit (treatment is absorbing)`);
      continue;
    }
    const key = `${i}\u0000${time}`;
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      fail(line, `a second row for unit '${u}' at time '${timeText}' (the first is on line ${firstLine})`);
      continue;
    }
    seen.set(key, line);
    if (Number.isNaN(value)) {
      skippedMissing++;
      continue;
    }
    kept.push({ unit: i, time, value });
  }
  if (bad.length > 0) {
    const listed = bad.sort((a, b) => a.line - b.line).slice(0, SHOW_BAD).map((b) => `line ${b.line}: ${b.reason}`);
    const more = bad.length > SHOW_BAD ? `; … and ${bad.length - SHOW_BAD} more` : '';
    throw new CloutError('input', `${name}: ${bad.length} bad row${bad.length === 1 ? '' : 's'}: ${listed.join('; ')}${more}`, { file, bad_rows: bad.length });
  }
  if (kept.length === 0) throw new CloutError('input', `${name}: no row has an outcome in '${req.outcome}'`);

  const times = [...new Set(kept.map((r) => r.time))].sort((a, b) => a - b);
  const periodOf = new Map(times.map((t, k) => [t, k]));
  const dateOnly = timeKind === 'date' && times.every((t) => t % 86_400_000 === 0);
  const label = (t: number): string => (timeKind === 'integer' ? String(t) : dateOnly ? formatDate(t) : formatTimestamp(t));

  const notes: string[] = [];
  const treatedAt = new Int32Array(unitLabels.length);
  let after = 0, rZero = 0;
  for (let i = 0; i < unitLabels.length; i++) {
    const v = treatedOf[i]!.value;
    if (v === null) {
      treatedAt[i] = -1;
      continue;
    }
    if (timeKind === 'integer' && v === 0 && times[0]! > 0) rZero++;
    // The first period at or after the treated time.
    let lo = 0, hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo === times.length) {
      after++;
      treatedAt[i] = -1;
    } else treatedAt[i] = lo;
  }
  if (rZero > 0) {
    throw new CloutError('input', `${name}: ${rZero} unit${rZero === 1 ? ' has' : 's have'} treated-at 0, before the first period (${times[0]}); for never-treated units leave '${req.treatedAt}' empty or write 'never' (R's did package writes 0 for never treated)`);
  }
  if (skippedMissing > 0) notes.push(`${skippedMissing} row${skippedMissing === 1 ? ' has' : 's have'} no outcome (empty or NA) and ${skippedMissing === 1 ? 'was' : 'were'} skipped`);
  if (after > 0) notes.push(`${after} unit${after === 1 ? ' is' : 's are'} first treated after the last period (${label(times[times.length - 1]!)}); counted as never treated within the panel`);

  return {
    unit: Int32Array.from(kept, (r) => r.unit),
    period: Int32Array.from(kept, (r) => periodOf.get(r.time)!),
    outcome: Float64Array.from(kept, (r) => r.value),
    treatedAt,
    unitLabels,
    periodLabels: times.map(label),
    timeKind,
    notes,
  };
}

/** Reads a panel CSV and runs the panel estimators; reading's notes lead the result's warnings. */
export function comparePanelCsv(file: string, request: PanelCsvRequest, options?: PanelOptions): PanelResult {
  const data = panelFromCsv(file, request);
  const result = comparePanel(data, options);
  return { ...result, warnings: [...data.notes, ...result.warnings] };
}

function parseRequest(request: PanelCsvRequest): z.output<typeof PANEL_CSV_REQUEST> {
  const r = PANEL_CSV_REQUEST.safeParse(request);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new CloutError('usage', `compare --panel: ${issue.path.join('.') || 'columns'}: ${issue.message}`);
  }
  return r.data;
}
