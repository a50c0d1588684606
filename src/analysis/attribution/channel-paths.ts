/**
 * Reads ChannelAttribution's path format (one row per distinct path: `path` like `A > B > C`,
 * `total_conversions`, `total_conversion_value`, `total_null`; value and null columns optional) from CSV text.
 */
import { parse } from 'csv-parse/sync';
import { CloutError } from '../../domain/index.js';
import type { Path } from './paths.js';

/** Parses a path file; every bad row is reported with its line and field. */
export function parseChannelPaths(text: string, file = 'paths'): Path[] {
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, relax_column_count: false, bom: true }) as string[][];
  } catch (e) {
    throw new CloutError('input', `${file}: not a CSV file: ${(e as Error).message}`);
  }
  if (rows.length === 0) throw new CloutError('input', `${file}: empty file`);
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const iPath = col('path'), iConv = col('total_conversions'), iValue = col('total_conversion_value'), iNull = col('total_null');
  if (iPath < 0 || iConv < 0) {
    throw new CloutError('input', `${file}: the header needs 'path' and 'total_conversions' (optional: total_conversion_value, total_null); got ${header.join(', ')}`);
  }
  const problems: string[] = [];
  const paths: Path[] = [];
  const num = (row: string[], i: number, name: string, line: number): number => {
    if (i < 0) return 0;
    const t = (row[i] ?? '').trim();
    const x = t === '' ? 0 : Number(t);
    if (!Number.isFinite(x) || x < 0) {
      problems.push(`line ${line}, field ${name}: expected a number ≥ 0, got '${t}'`);
      return 0;
    }
    return x;
  };
  rows.slice(1).forEach((row, k) => {
    const line = k + 2;
    const channels = (row[iPath] ?? '').split('>').map((s) => s.trim());
    if (channels.some((c) => c === '')) {
      problems.push(`line ${line}, field path: empty channel in '${row[iPath] ?? ''}'`);
      return;
    }
    paths.push({ channels, conversions: num(row, iConv, 'total_conversions', line), value: num(row, iValue, 'total_conversion_value', line), nulls: num(row, iNull, 'total_null', line) });
  });
  if (problems.length > 0) {
    throw new CloutError('input', `${file}: ${problems.length} bad row${problems.length === 1 ? '' : 's'}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`);
  }
  return paths;
}
