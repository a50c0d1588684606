/**
 * Write-time attribution of a conversion (pure: the writer looks the facts up, this decides).
 *
 * Rules, first that applies wins:
 *  1. `click`: the newest click id of the path that names a known click (the last touch) → its link.
 *  2. `link_key`: the link whose short key was sent.
 *  3. `customer_lead`: the customer's latest earlier lead or signup that was attributed to a link (a customer's
 *     later sales inherit the link of their lead when no click id is sent).
 *  4. `none`: the conversion is stored unattributed.
 * The link then gives post, author (the link's own author, else its post's author) and campaign (the link's, else
 * its post's).
 */

/** What the store knows about a link, joined with its post. */
export interface LinkFacts {
  id: string;
  post_id: string | null;
  author_id: string | null;
  campaign_id: string | null;
}

/** The facts the writer looked up for one conversion. */
export interface AttributionFacts {
  /** Known clicks of the path: click id → link id. */
  clicks: ReadonlyMap<string, string>;
  /** Every link those clicks, the link key or the lead refer to, by link id. */
  links: ReadonlyMap<string, LinkFacts>;
  /** The link whose key was sent, when it exists. */
  linkByKey: LinkFacts | null;
  /** The customer's latest earlier attributed lead/signup, when there is one. */
  lead: { link_id: string; click_id: string | null } | null;
}

/** Which rule credited a conversion. */
export type AttributionRule = 'click' | 'link_key' | 'customer_lead' | 'none';

/** Where a conversion's credit goes. */
export interface Attribution {
  rule: AttributionRule;
  /** The last-touch click: the newest known click of the path, else the newest id sent, else the lead's click. */
  click_id: string | null;
  link_id: string | null;
  post_id: string | null;
  author_id: string | null;
  campaign_id: string | null;
}

const NONE = { link_id: null, post_id: null, author_id: null, campaign_id: null };

/** Resolves a conversion's attribution from its click path (oldest first) and the looked-up facts. */
export function resolveAttribution(clickIds: readonly string[], facts: AttributionFacts): Attribution {
  for (let i = clickIds.length - 1; i >= 0; i--) {
    const linkId = facts.clicks.get(clickIds[i]!);
    if (linkId === undefined) continue;
    return { rule: 'click', click_id: clickIds[i]!, ...linkFields(linkId, facts.links) };
  }
  const sentClick = clickIds.length > 0 ? clickIds[clickIds.length - 1]! : null;
  if (facts.linkByKey) return { rule: 'link_key', click_id: sentClick, ...linkFields(facts.linkByKey.id, facts.links, facts.linkByKey) };
  if (facts.lead) {
    return { rule: 'customer_lead', click_id: sentClick ?? facts.lead.click_id, ...linkFields(facts.lead.link_id, facts.links) };
  }
  return { rule: 'none', click_id: sentClick, ...NONE };
}

function linkFields(linkId: string, links: ReadonlyMap<string, LinkFacts>, known?: LinkFacts): Omit<Attribution, 'rule' | 'click_id'> {
  const link = known ?? links.get(linkId);
  if (!link) return { ...NONE, link_id: linkId };
  return { link_id: link.id, post_id: link.post_id, author_id: link.author_id, campaign_id: link.campaign_id };
}
