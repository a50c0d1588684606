/** Helpers for the payment importers' tests: read an importer's output whole, and count it by outcome. */
import type { Emitted, PlatformImporter, SourceEntry } from '../../src/ingest/platforms/types.js';

/** Every item an importer emits for the entries, in order. */
export async function readAll(importer: PlatformImporter, entries: readonly SourceEntry[]): Promise<Emitted[]> {
  const out: Emitted[] = [];
  for await (const batch of importer.read(entries, { conversionType: 'sale' })) out.push(...batch);
  return out;
}

/** Emitted items counted: records, rejects, and reported by reason. */
export function countsOf(items: readonly Emitted[]): { records: number; rejects: number; reported: Record<string, number> } {
  const reported: Record<string, number> = {};
  let records = 0;
  let rejects = 0;
  for (const item of items) {
    if (item.type === 'record') records++;
    else if (item.type === 'reject') rejects++;
    else reported[item.reason] = (reported[item.reason] ?? 0) + 1;
  }
  return { records, rejects, reported };
}

/** The record items' fields by id. */
export function recordsById(items: readonly Emitted[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const item of items) if (item.type === 'record') out.set(String(item.fields['id']), item.fields);
  return out;
}
