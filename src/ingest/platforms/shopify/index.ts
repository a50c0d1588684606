/**
 * The Shopify importer: the orders export (Orders → Export, CSV), one conversion per order. See
 * docs/importers/shopify.md.
 */
import { readCsv } from '../../csv.js';
import { EmittedBatch } from '../batches.js';
import { entryByteSource } from '../entries.js';
import type { Emitted, PlatformContext, PlatformImporter, SourceEntry } from '../types.js';
import { OrderBlocks } from './order-blocks.js';
import { orderItem } from './order-item.js';
import { isOrdersExport } from './recognise.js';

/** Reads Shopify orders exports into conversions. */
export const shopifyOrdersImporter: PlatformImporter = {
  id: 'shopify-orders',
  label: 'Shopify orders export',
  async claim(entries: readonly SourceEntry[]): Promise<SourceEntry[]> {
    const claimed: SourceEntry[] = [];
    for (const entry of entries) if (await isOrdersExport(entry)) claimed.push(entry);
    return claimed;
  },
  async *read(entries: readonly SourceEntry[], ctx: PlatformContext): AsyncGenerator<Emitted[]> {
    for (const entry of entries) yield* readOrders(entry, ctx);
  },
};

/** Reads one orders export, one emitted item per order (or unreadable row). */
async function* readOrders(entry: SourceEntry, ctx: PlatformContext): AsyncGenerator<Emitted[]> {
  const blocks = new OrderBlocks();
  const batch = new EmittedBatch();
  for await (const records of readCsv(entryByteSource(entry), () => undefined)) {
    for (const record of records) {
      for (const unit of blocks.push(record)) batch.push(orderItem(unit, entry.path, ctx));
    }
    if (batch.full) yield batch.take();
  }
  for (const unit of blocks.end()) batch.push(orderItem(unit, entry.path, ctx));
  if (!batch.empty) yield batch.take();
}
