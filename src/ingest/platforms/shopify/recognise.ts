/** Recognises a Shopify orders export by its CSV columns (order-level columns plus `Lineitem …` columns). */
import { csvColumnsOf, hasAll } from '../csv-header.js';
import type { SourceEntry } from '../types.js';

/** Order-level columns every Shopify orders export has (lower-cased, as the CSV reader gives them). */
const ORDER_COLUMNS = ['name', 'email', 'financial status', 'currency', 'total', 'created at'] as const;

/** True when a CSV header (lower-cased names) is a Shopify orders export's. */
export function isOrdersHeader(columns: ReadonlySet<string>): boolean {
  return hasAll(columns, ORDER_COLUMNS) && [...columns].some((c) => c.startsWith('lineitem '));
}

/** True when an entry is a Shopify orders export. */
export async function isOrdersExport(entry: SourceEntry): Promise<boolean> {
  const columns = await csvColumnsOf(entry);
  return columns !== undefined && isOrdersHeader(columns);
}
