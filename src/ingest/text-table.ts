/**
 * A CSV file of units read as text (`clout compare DATA.csv`, `--panel`): a header row and cells kept as written, each
 * row with its line number in the file, so a use case can say exactly which row it could not use and why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { CloutError } from '../domain/index.js';

/** A CSV file's header and rows of text cells; `lines[i]` is row i's line number in the file (1 = the header). */
export interface TextTable {
  file: string;
  columns: string[];
  /** Rows with as many fields as the header. */
  rows: string[][];
  lines: number[];
  /** Rows with another number of fields: kept out of `rows`, each with its line and why. */
  ragged: { line: number; reason: string }[];
}

/** Reads a CSV file (header row; optionally gzipped) into text cells with line numbers. */
export function readTextTable(path: string): TextTable {
  if (!existsSync(path)) throw new CloutError('file_not_found', `no such file: ${path}`);
  let buf = readFileSync(path);
  if (path.endsWith('.gz')) buf = gunzipSync(buf);
  const name = basename(path);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(buf, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw new CloutError('input', `${name}: not a readable CSV file: ${(e as Error).message}`);
  }
  if (records.length < 2) throw new CloutError('input', `${name}: needs a header row and at least one data row`);
  const columns = records[0]!.record.map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new CloutError('input', `${name}: the header names column '${c}' twice`);
    seen.add(c);
  }
  // csv-parse counts lines to a record's end; a quoted cell may span lines, so step back to where the record starts.
  const startLine = (r: { record: string[]; info: { lines: number } }) => r.info.lines - r.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
  const table: TextTable = { file: name, columns, rows: [], lines: [], ragged: [] };
  for (const r of records.slice(1)) {
    if (r.record.length === columns.length) {
      table.rows.push(r.record);
      table.lines.push(startLine(r));
    } else table.ragged.push({ line: startLine(r), reason: `${r.record.length} fields; the header has ${columns.length}` });
  }
  return table;
}

/** The index of a named column, or a usage error listing the file's columns. */
export function columnIndex(table: TextTable, name: string, flag: string): number {
  const j = table.columns.indexOf(name);
  if (j < 0) throw new CloutError('usage', `--${flag}: no column '${name}' in ${table.file}; its columns: ${table.columns.join(', ')}`);
  return j;
}
