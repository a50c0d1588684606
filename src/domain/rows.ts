/**
 * Shapes of the store's rows that the layers above read (the report builds on them, the use cases pass them on), and
 * the names of post sets the queries select. Declared here so that `report/` never imports `store/`.
 */
import type { TieRule } from './vocabulary.js';

/** Per-author counts from the store, before any analysis. */
export interface AccountActivityRow {
  id: string;
  handle: string | null;
  /** Reported follower count, or the in-degree of the follow graph when the account has none. */
  followers: number;
  followers_source: 'reported' | 'follow_graph';
  posts: number;
  link_posts: number;
  clicks: number;
  bot_clicks: number;
}

/** Conversions credited to an account by last click (or by link/post id when no click id), per type and currency. */
export interface AccountCreditRow {
  account_id: string;
  type: string;
  currency: string | null;
  conversions: number;
  value_minor: number;
}

/** A campaign with what it raised per currency. */
export interface CampaignRow {
  id: string;
  name: string | null;
  owner_id: string | null;
  goal_minor: number | null;
  currency: string | null;
  starts_at: number | null;
  ends_at: number | null;
  raised_minor: number;
  conversions: number;
  contributors: number;
}

/** Conversions of a campaign credited to each account by last click. */
export interface CampaignCreditRow {
  campaign_id: string;
  account_id: string;
  conversions: number;
  value_minor: number;
}

/** A conversion, the rule that tied it (TIE_RULES) and what it is tied to. */
export interface ConversionTieRow {
  id: string;
  at: number;
  type: string;
  value_minor: number;
  currency: string | null;
  tie: TieRule;
  /** The code that tied it (rule `code`). */
  code: string | null;
  link_id: string | null;
  post_id: string | null;
  account_id: string | null;
  campaign_id: string | null;
}

/** Which posts may cause the outcome: link posts outside campaigns (sales), or campaign posts (donations). */
export type CandidatePosts = 'outside_campaigns' | 'in_campaigns' | 'all_link_posts';

/** Which link posts `framingPostCounts` returns: outside campaigns (book sales), inside campaigns (donations), or all. */
export type FramingScope = 'outside_campaigns' | 'in_campaigns' | 'all';

/** A candidate post with its author, time, text and the author's followers. */
export interface CandidatePostRow {
  id: string;
  author_id: string;
  at: number;
  text: string | null;
  followers: number;
}
