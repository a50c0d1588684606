/** Store queries for the outcome-influence model: candidate posts, outcome counts by bin and click post, click shares. */
import type { CandidatePostRow, CandidatePosts, TieRule } from '../domain/index.js';
import type { Conn } from './db.js';
import { creditedConversions, isLinkPostSql, LINK_OWNER, queryRows } from './queries.js';


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

/** An outcome event: its time and what it is tied to (TIE_RULES; the model reads click, code and utm ties). */
export interface OutcomeEventRow {
  at: number;
  /** The post of its click id (or of its UTM link, or the post its code names); null when none or unknown. */
  post_id: string | null;
  tie: TieRule;
  /** The account its tie credits (a code's owner). */
  account_id: string | null;
}

/**
 * Outcome events of some types with their ties, by the store's tie rules (creditedConversions): a click id's post,
 * a code's owner (and the post the code names, if any), the post of the link its UTM tags match.
 */
export async function outcomeEvents(conn: Conn, types: string[]): Promise<OutcomeEventRow[]> {
  const credited = creditedConversions({ types });
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER}, ${credited.sql}
     SELECT epoch_ms("at")::DOUBLE AS "at",
            CASE WHEN tie IN ('click', 'code', 'utm') THEN post_id END AS post_id, tie,
            CASE WHEN tie IN ('click', 'code', 'utm') THEN account_id END AS account_id
     FROM credited
     ORDER BY "at", post_id NULLS FIRST, tie, account_id NULLS FIRST`,
    credited.params,
  );
  return rows as unknown as OutcomeEventRow[];
}

/** Accounts that own a discount code (the code's account, else the author of the post it names). */
export async function codeOwners(conn: Conn): Promise<string[]> {
  const rows = await queryRows(
    conn,
    `SELECT DISTINCT coalesce(cd.account_id, p.author_id) AS id FROM codes cd LEFT JOIN posts p ON p.id = cd.post_id
     WHERE coalesce(cd.account_id, p.author_id) IS NOT NULL ORDER BY id`,
  );
  return rows.map((r) => String(r.id));
}

/** Posts that share a link whose URL carries utm_ tags (a sale can be tied to them by UTM). */
export async function utmTaggedPosts(conn: Conn): Promise<string[]> {
  const rows = await queryRows(
    conn,
    `WITH ${LINK_OWNER}
     SELECT DISTINCT lo.post_id AS id FROM links l JOIN link_owner lo ON lo.link_id = l.id
     WHERE l.url LIKE '%utm\\_%' ESCAPE '\\' AND lo.post_id IS NOT NULL ORDER BY id`,
  );
  return rows.map((r) => String(r.id));
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
