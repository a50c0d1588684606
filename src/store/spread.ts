/**
 * Store queries of the spread engine (cascades, contagion, edge probabilities): posts with their authors and times,
 * reposts and quotes with their actors and times, purchases by customers who are accounts. Times
 * leave as epoch milliseconds; rows are plain (strings and numbers).
 */
import type { Conn } from './db.js';
import { queryRows } from './queries.js';

/** A post: an item whose root is its author. */
export interface PostRow {
  id: string;
  author_id: string;
  at: number;
}

/** One adoption of an item by an account. */
export interface AdoptionRow {
  item_id: string;
  actor_id: string;
  at: number;
}

/** Every post with its author and time, in id order. */
export async function postRows(conn: Conn): Promise<PostRow[]> {
  const rows = await queryRows(conn, `SELECT id, author_id, epoch_ms(created_at)::DOUBLE AS at FROM posts ORDER BY id`);
  return rows as unknown as PostRow[];
}

/** Reposts and quotes (the adoptions of a post), in post and time order; `types` narrows them (default both). */
export async function repostRows(conn: Conn, types: readonly string[] = ['repost', 'quote']): Promise<AdoptionRow[]> {
  const marks = types.map(() => '?').join(', ');
  const rows = await queryRows(
    conn,
    `SELECT post_id AS item_id, actor_id, epoch_ms(created_at)::DOUBLE AS at FROM interactions
     WHERE post_id IS NOT NULL AND type IN (${marks}) ORDER BY post_id, created_at, actor_id`,
    [...types],
  );
  return rows as unknown as AdoptionRow[];
}

/**
 * Purchases as adoptions: sales whose customer id is an account id, the item being the link bought through (the
 * conversion's link, else its click's link), else the post it names. Other sales cannot be placed in the graph.
 */
export async function purchaseRows(conn: Conn): Promise<AdoptionRow[]> {
  const rows = await queryRows(
    conn,
    `SELECT coalesce(c.link_id, k.link_id, c.post_id) AS item_id, c.customer_id AS actor_id, epoch_ms(c."at")::DOUBLE AS at
     FROM conversions c
     LEFT JOIN clicks k ON k.id = c.click_id
     JOIN accounts a ON a.id = c.customer_id
     WHERE c.type = 'sale' AND coalesce(c.link_id, k.link_id, c.post_id) IS NOT NULL
     ORDER BY item_id, c."at", actor_id`,
  );
  return rows as unknown as AdoptionRow[];
}
