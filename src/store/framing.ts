/**
 * What the store knows about a link post's framing beyond its text (docs/methods.md, "Framing"): the framing a person
 * gave it (format v1.1 `framing`), its kind and language, its author's handle, whether its campaign is the author's
 * own (the campaign's `owner_id` is the post's author), whether it quotes or reposts the author's own post, and the
 * URLs of its links (a page that names the author's handle is the author's own). A link's `author_id` is the account
 * that shares it (the one credited for its clicks), not the owner of the page it opens, so it says nothing here.
 */
import { isLinkPostSql, queryRows } from './queries.js';
import type { Conn } from './db.js';

/** One link post's framing context. */
export interface PostFramingRow {
  id: string;
  author_id: string;
  text: string | null;
  /** The framing a person gave the post, else null. */
  framing: string | null;
  kind: string | null;
  lang: string | null;
  /** The author's handle as imported, else null. */
  handle: string | null;
  /** The post's campaign (its own or its link's) is owned by the post's author. */
  own_campaign: boolean;
  /** The post quotes or reposts a post by the same author. */
  own_quote: boolean;
  /** The URLs of the post's links, space-separated ('' when none is known). */
  link_urls: string;
}

/** Every link post's framing context, in id order. */
export async function postFramingContexts(conn: Conn): Promise<PostFramingRow[]> {
  const rows = await queryRows(
    conn,
    `WITH post_links AS (
       -- two equi-joins, not one join on OR (which would compare every post with every link)
       SELECT p.id AS post_id, l.url, l.campaign_id FROM posts p JOIN links l ON l.id = p.link_id
       UNION
       SELECT l.post_id AS post_id, l.url, l.campaign_id FROM links l WHERE l.post_id IS NOT NULL
     ),
     per_post AS (
       SELECT post_id, string_agg(DISTINCT url, ' ') AS urls, any_value(campaign_id) AS campaign_id
       FROM post_links GROUP BY post_id
     )
     SELECT p.id, p.author_id, p.text, p.framing, p.kind, p.lang, a.handle,
            coalesce(c.owner_id = p.author_id, false) AS own_campaign,
            coalesce(q.author_id = p.author_id, false) AS own_quote,
            coalesce(pp.urls, '') AS link_urls
     FROM posts p
     LEFT JOIN per_post pp ON pp.post_id = p.id
     LEFT JOIN accounts a ON a.id = p.author_id
     LEFT JOIN campaigns c ON c.id = coalesce(p.campaign_id, pp.campaign_id)
     LEFT JOIN posts q ON q.id = coalesce(p.quote_of, p.repost_of)
     WHERE ${isLinkPostSql('p')}
     ORDER BY p.id`,
  );
  return rows as unknown as PostFramingRow[];
}
