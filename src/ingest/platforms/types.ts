/**
 * The contract between `clout import` and the importers of platform exports (X, Bluesky, Mastodon, Stripe, Shopify):
 * an importer recognises its files by their content and turns them into interchange records; the import validates
 * them with the kind's schema, writes them, and counts every record read as imported, updated, unchanged, rejected or
 * reported (read on purpose but not a record of clout: a failed payment, a voided order).
 */
import type { ConversionType, Kind } from '../../domain/index.js';

/** One file of a source as an importer sees it: on its own, inside a folder, or inside a .zip archive. */
export interface SourceEntry {
  /** Where it is, as rejects and notices show it: `./export/orders.csv`, `./twitter.zip:data/tweets.js`. */
  path: string;
  /** Its path inside the folder or archive, `/`-separated (for a file given on its own: its file name). */
  name: string;
  /** Its size in bytes (uncompressed). */
  bytes: number;
  /** Streams its bytes (decompressed when it sits in a .zip or its name ends in .gz). */
  open(): AsyncIterable<Buffer>;
  /** Its first `n` bytes (fewer when it is shorter), to recognise it by content. */
  head(n: number): Promise<Buffer>;
}

/** Where a record came from: its file and line (text formats), or its record index or AT-URI (`record`). */
export interface Origin {
  file: string;
  /** 1-based line where the record starts; for formats without lines, the 1-based record index. */
  line: number;
  /** The record's own address when it has one (an AT-URI, an order name, a CID). */
  record?: string;
}

/** What an importer hands to the import, one item per interchange record (or per source record it did not map). */
export type Emitted =
  /** An interchange record (fields named as in docs/formats.md); the import validates it with its kind's schema. */
  | { type: 'record'; kind: Kind; fields: Record<string, unknown>; origin: Origin; raw: unknown }
  /** A source record that cannot become a record (malformed, missing what it needs): rejected with a reason. */
  | { type: 'reject'; kind: Kind; origin: Origin; field: string; reason: string; raw: unknown }
  /** A source record read and deliberately not imported (a failed or refunded payment, a pending order): counted by reason. */
  | { type: 'reported'; kind: Kind; origin: Origin; reason: string };

/** What the user said about the source that its files cannot say. */
export interface PlatformContext {
  /** The conversion type of orders and payments (`--type`, default `sale`; `donation` for a charity). */
  conversionType: ConversionType;
}

/** An importer of one platform's export. */
export interface PlatformImporter {
  /** A stable id, as `--json` shows it: `x-archive`, `bluesky-car`, `mastodon-archive`, `stripe`, `shopify-orders`. */
  id: string;
  /** What the user is told it recognised: `X/Twitter archive`, `Shopify orders export`. */
  label: string;
  /**
   * The entries of a source this importer reads, recognised by content (never by file name alone), or none.
   * Called with every entry of a folder or archive (or the one file given), in name order.
   */
  claim(entries: readonly SourceEntry[]): Promise<SourceEntry[]>;
  /** Reads the claimed entries into interchange records, in batches (streaming where the format allows). */
  read(entries: readonly SourceEntry[], ctx: PlatformContext): AsyncGenerator<Emitted[]>;
}
