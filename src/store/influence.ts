/** Store queries for the outcome-influence model: candidate posts, outcome counts by bin and click post, click shares. */
import type { CandidatePostRow, CandidatePosts } from '../domain/index.js';
import type { Conn } from './db.js';
import { isLinkPostSql, LINK_OWNER, queryRows } from './queries.js';


const CANDIDATE_SQL: Record<CandidatePosts, string> = {
  outside_campaigns: `${isLinkPostSql('p')} AND p.campaign_id IS NULL AND l.campaign_id IS NULL`,
  in_campaigns: `${isLinkPostSql('p')} AND coalesce(p.campaign_id, l.campaign_id) IS NOT NULL`,
  all_link_posts: isLinkPostSql('p'),
};


/** Candidate posts in time order. */
export async function candidatePosts(conn: Conn, which: CandidatePosts): Promise<CandidatePostRow[]> {
  const rows = await queryRows(
    conn,
    `WITH in_degree AS (SELECT followee_id AS id, count(*)::DOUBLE AS n FROM follows GROUP BY followee_id)
     SELECT p.id, p.author_id, epoch_ms(p.created_at)::DOUBLE AS "at", p.text,
            coalesce(a.followers, d.n, 0)::DOUBLE AS followers
     FROM posts p LEFT JOIN links l ON l.id = p.link_id
     LEFT JOIN accounts a ON a.id = p.author_id LEFT JOIN in_degree d ON d.id = p.author_id
     WHERE ${CANDIDATE_SQL[which]}
     ORDER BY "at", p.id`,
  );
  return rows as unknown as CandidatePostRow[];
}

/** Outcome events of some types: time and the post of the click id they carry (null when none or unknown). */
export async function outcomeEvents(conn: Conn, types: string[]): Promise<{ at: number; post_id: string | null }[]> {
  const filter = types.length > 0 ? `WHERE c.type IN (${types.map(() => '?').join(', ')})` : '';
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER}
     SELECT epoch_ms(c."at")::DOUBLE AS "at", lo.post_id AS post_id
     FROM conversions c LEFT JOIN clicks k ON k.id = c.click_id LEFT JOIN link_owner lo ON lo.link_id = k.link_id
     ${filter}
     ORDER BY "at", post_id NULLS FIRST`,
    types,
  );
  return rows as unknown as { at: number; post_id: string | null }[];
}

/**
 * Organic human clicks per post: clicks that no conversion carries (the post's click intensity, not the clicks buyers
 * made on their way to a purchase), with the number and exact sum (ms) of their delays after the post that are at most
 * `maxDelayMs`; in post id order, so every run sees the same numbers in the same order.
 */
export async function organicClicksByPost(conn: Conn, maxDelayMs: number): Promise<{ post_id: string; clicks: number; delay_n: number; delay_sum: number }[]> {
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER}, delays AS (
       SELECT lo.post_id AS post_id, epoch_ms(k."at") - epoch_ms(p.created_at) AS delay
       FROM clicks k JOIN link_owner lo ON lo.link_id = k.link_id JOIN posts p ON p.id = lo.post_id
       WHERE NOT coalesce(k.is_bot, false)
         AND k.id NOT IN (SELECT click_id FROM conversions WHERE click_id IS NOT NULL))
     SELECT post_id, count(*)::DOUBLE AS clicks,
            count(*) FILTER (WHERE delay BETWEEN 0 AND ?)::DOUBLE AS delay_n,
            coalesce(sum(delay) FILTER (WHERE delay BETWEEN 0 AND ?), 0)::DOUBLE AS delay_sum
     FROM delays GROUP BY post_id ORDER BY post_id`,
    [maxDelayMs, maxDelayMs],
  );
  return rows as unknown as { post_id: string; clicks: number; delay_n: number; delay_sum: number }[];
}
