/**
 * Groups the rows of a Shopify orders export into orders. The export has one row per line item; the rows of one
 * order are contiguous and share `Name`, and only the first carries the order-level columns. Each unit this yields
 * is one record read: an order, a block of line items without its order row, a block whose Name already appeared
 * earlier (rows not contiguous), or a row that cannot be read.
 */
import type { RawRecord } from '../../types.js';

/** Columns only an order's first row fills (some exports repeat Email and Created at on every row). */
const ORDER_LEVEL = ['financial status', 'total', 'subtotal'] as const;

/** One record read from the export. */
export type OrderUnit =
  /** An order: its first row and how many rows it spans. */
  | { type: 'order'; name: string; first: RawRecord; rows: number }
  /** Line-item rows whose order row is missing. */
  | { type: 'orphan'; name: string; first: RawRecord; rows: number }
  /** Rows of an order whose Name appeared earlier, after other orders (`seenAt` is the line of the earlier block). */
  | { type: 'repeat'; name: string; first: RawRecord; rows: number; seenAt: number }
  /** A row the CSV reader could not make fields of, or one without a Name. */
  | { type: 'unreadable'; record: RawRecord };

type Block = Exclude<OrderUnit, { type: 'unreadable' }>;

/** Gathers rows into order units as they stream by; the memory held is the current block and the names seen. */
export class OrderBlocks {
  private current: Block | undefined;
  private readonly seen = new Map<string, number>();

  /** Takes one row; returns the units it completes (a finished order, or the row itself when unreadable). */
  push(record: RawRecord): OrderUnit[] {
    const name = record.fields === undefined ? undefined : String(record.fields['name'] ?? '').trim();
    if (!name) return [{ type: 'unreadable', record }];
    if (this.current !== undefined && this.current.name === name) {
      this.current.rows++;
      return [];
    }
    const done = this.end();
    const seenAt = this.seen.get(name);
    if (seenAt !== undefined) this.current = { type: 'repeat', name, first: record, rows: 1, seenAt };
    else {
      this.seen.set(name, record.line);
      const fields = record.fields ?? {};
      const isOrderRow = ORDER_LEVEL.some((c) => fields[c] !== undefined);
      this.current = { type: isOrderRow ? 'order' : 'orphan', name, first: record, rows: 1 };
    }
    return done;
  }

  /** The unit still open (at the end of the file, or when a new Name starts). */
  end(): OrderUnit[] {
    const done = this.current;
    this.current = undefined;
    return done === undefined ? [] : [done];
  }
}
