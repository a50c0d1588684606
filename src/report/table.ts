/** Aligned plain-text tables for terminal output. */

export type Align = 'left' | 'right';

/** A column: its header, how to read a cell, and its alignment. */
export interface Column<T> {
  header: string;
  cell: (row: T) => string;
  align?: Align;
}

/** Renders rows as an aligned table with a header and a rule; numbers usually align right. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((row) => width(row[i]!))));
  const line = (values: string[]): string =>
    values
      .map((v, i) => (columns[i]!.align === 'right' ? padStart(v, widths[i]!) : padEnd(v, widths[i]!)))
      .join('  ')
      .trimEnd();
  const header = line(columns.map((c) => c.header));
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [header, rule, ...cells.map(line)].join('\n') + '\n';
}

/** Formats an integer with thousands separators. */
export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Formats a number with a fixed number of decimals and thousands separators. */
export function formatFixed(n: number | null, digits: number): string {
  if (n === null || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Formats a money amount with its currency code. */
export function formatMoney(n: number, currency: string | null): string {
  return `${formatFixed(n, 2)}${currency ? ' ' + currency : ''}`;
}

function width(s: string): number {
  return [...s].length;
}
function padStart(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - width(s))) + s;
}
function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}
