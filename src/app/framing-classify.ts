/**
 * Use case "what framing is each of these posts" (`clout framing classify FILE --text-column COL`, or `--db` for the
 * store's link posts): each text's framing and the rule that decided it, with counts per framing. Rows of a file
 * without text are counted (`no_text`), never dropped silently; rows the reader cannot parse are counted too. In the
 * store, a person's label (format v1.1 `framing`) wins over the classifier, as everywhere else.
 */
import { z } from 'zod';
import { classifyFraming } from '../analysis/content/framing.js';
import { CloutError, FRAMINGS, type Framing } from '../domain/index.js';
import { readTableFile } from '../ingest/index.js';
import { postFramingContexts, type Conn } from '../store/index.js';
import { countLabels, framingOfRow, type FramingLabelCounts } from './post-framing.js';

/** Options of `framing classify`: one schema for the CLI's flags (and any other door). */
export const FRAMING_CLASSIFY_OPTIONS = z
  .object({
    text_column: z.string().min(1).optional().describe('the column of FILE that holds each post\'s text (required with FILE)'),
    id_column: z.string().min(1).optional().describe("the column of FILE that holds each row's id (default: the row's line number)"),
  })
  .strict();
export type FramingClassifyOptions = z.output<typeof FRAMING_CLASSIFY_OPTIONS>;

/** One classified post. */
export interface FramingItem {
  id: string;
  framing: Framing;
  reason: string;
}

/** Posts per framing, and the rows without text (counted, not classified). */
export type FramingCounts = Record<Framing, number> & { no_text: number };

/** The `clout framing classify --json` document. */
export interface FramingClassifyDoc {
  source: { file: string; text_column: string; id_column: string | null } | { store: true };
  items: FramingItem[];
  counts: FramingCounts;
  /** Rows read (file), or link posts (store). */
  rows: number;
  /** Rows the reader could not parse (a broken CSV record, a line that is not JSON): counted, not classified. */
  unreadable: number;
  /** Store only: how many posts the user labelled and how many clout classified. */
  labels?: FramingLabelCounts;
}

function emptyCounts(): FramingCounts {
  return { ...(Object.fromEntries(FRAMINGS.map((f) => [f, 0])) as Record<Framing, number>), no_text: 0 };
}

/** Classifies the text column of a CSV or NDJSON file (gzipped or not); a missing column is a usage error naming the file's columns. */
export async function classifyFramingFile(path: string, options: FramingClassifyOptions): Promise<FramingClassifyDoc> {
  const textColumn = options.text_column;
  if (textColumn === undefined) throw new CloutError('usage', `--text-column is required with a FILE: which column holds the post text?`);
  let columns: string[] | undefined;
  const items: FramingItem[] = [];
  const counts = emptyCounts();
  let rows = 0, unreadable = 0, seen = 0;
  for await (const batch of readTableFile(path, (names) => (columns = names))) {
    if (columns !== undefined) {
      for (const [flag, col] of [['--text-column', textColumn], ['--id-column', options.id_column]] as const) {
        if (col !== undefined && !columns.includes(col.toLowerCase())) {
          throw new CloutError('usage', `${flag} ${col}: ${path} has no such column (its columns: ${columns.join(', ')})`);
        }
      }
    }
    for (const record of batch) {
      rows++;
      if (record.fields === undefined) {
        unreadable++;
        continue;
      }
      const text = cell(record.fields, textColumn);
      if (text !== undefined) seen++;
      const idCell = options.id_column === undefined ? undefined : cell(record.fields, options.id_column);
      const id = idCell ?? `line ${record.line}`;
      if (text === undefined || text.trim() === '') {
        counts.no_text++;
        continue;
      }
      const r = classifyFraming(text);
      counts[r.framing]++;
      items.push({ id, framing: r.framing, reason: r.reason });
    }
  }
  if (columns === undefined && rows > unreadable && seen === 0) {
    throw new CloutError('usage', `--text-column ${textColumn}: no row of ${path} has that field`);
  }
  return { source: { file: path, text_column: textColumn, id_column: options.id_column ?? null }, items, counts, rows, unreadable };
}

/** Classifies the store's link posts with what the store knows (own campaigns, handles in links, quotes); the user's labels win. */
export async function classifyStoreFramings(conn: Conn): Promise<FramingClassifyDoc> {
  const rows = await postFramingContexts(conn);
  const counts = emptyCounts();
  const framed = rows.map((r) => ({ id: r.id, ...framingOfRow(r) }));
  for (const f of framed) counts[f.framing]++;
  return {
    source: { store: true },
    items: framed.map((f) => ({ id: f.id, framing: f.framing, reason: f.reason })),
    counts,
    rows: rows.length,
    unreadable: 0,
    labels: countLabels(framed),
  };
}

/** A field as text: the exact name, else any case (CSV headers are read in lower case); absent or null is undefined. */
function cell(fields: Record<string, unknown>, name: string): string | undefined {
  let v = fields[name];
  if (v === undefined) {
    const lower = name.toLowerCase();
    const key = Object.keys(fields).find((k) => k.toLowerCase() === lower);
    v = key === undefined ? undefined : fields[key];
  }
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}
