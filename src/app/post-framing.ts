/**
 * Each link post's framing as every use case reads it (the framing effects, the outcome model, the report,
 * `clout framing classify --db`): the framing a person gave the post wins; otherwise clout's classifier reads the text
 * with what the store knows — a campaign the author owns or a link that names the author's handle (own link), a
 * quote or repost of the author's own post (own mention), the post's kind and language.
 */
import { classifyFraming, type FramingContext } from '../analysis/content/framing.js';
import { urlNamesAccount } from '../analysis/content/framing-owner.js';
import { FRAMINGS, type Framing } from '../domain/index.js';
import { postFramingContexts, type Conn, type PostFramingRow } from '../store/index.js';

/** Who decided a post's framing. */
export type FramingSource = 'user' | 'clout';

/** A post's framing, why, and who decided it. */
export interface PostFraming {
  framing: Framing;
  reason: string;
  labelled_by: FramingSource;
}

/** How many posts each source labelled. */
export interface FramingLabelCounts {
  user: number;
  clout: number;
}

/** What the classifier is told about a post from the store. */
export function framingContextOf(row: PostFramingRow): FramingContext {
  const urls = row.link_urls === '' ? [] : row.link_urls.split(' ');
  return {
    ownLink: row.own_campaign || urls.some((u) => urlNamesAccount(u, row.handle)),
    ownMention: row.own_quote,
    kind: row.kind,
    lang: row.lang,
    link: true,
    handle: row.handle,
  };
}

/** A post's framing: the person's label when it has one, else the classifier's reading with the store's context. */
export function framingOfRow(row: PostFramingRow): PostFraming {
  if (row.framing !== null && (FRAMINGS as readonly string[]).includes(row.framing)) {
    return { framing: row.framing as Framing, reason: 'labelled by the user', labelled_by: 'user' };
  }
  const r = classifyFraming(row.text, framingContextOf(row));
  return { framing: r.framing, reason: r.reason, labelled_by: 'clout' };
}

/** Posts classified between two turns of the event loop (a few milliseconds of work). */
const CLASSIFY_BATCH = 50;

/**
 * Every link post's framing, by post id. The classifier runs in batches with the event loop turning between them:
 * the server loads a report on its main thread, and its redirects must not wait behind a store's worth of posts.
 */
export async function loadPostFramings(conn: Conn): Promise<Map<string, PostFraming>> {
  const rows = await postFramingContexts(conn);
  const out = new Map<string, PostFraming>();
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % CLASSIFY_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    out.set(rows[i]!.id, framingOfRow(rows[i]!));
  }
  return out;
}

/** A post's framing from the loaded map; a post the map lacks (no link known for it) is read from its text alone. */
export function framingOf(framings: ReadonlyMap<string, PostFraming>, id: string, text: string | null): PostFraming {
  const known = framings.get(id);
  if (known !== undefined) return known;
  const r = classifyFraming(text);
  return { framing: r.framing, reason: r.reason, labelled_by: 'clout' };
}

/** Counts the posts each source labelled. */
export function countLabels(framings: Iterable<{ labelled_by?: FramingSource }>): FramingLabelCounts {
  const counts = { user: 0, clout: 0 };
  for (const f of framings) counts[f.labelled_by ?? 'clout']++;
  return counts;
}
