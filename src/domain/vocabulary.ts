/** Words of clout's vocabulary that every layer shares. */

/** How a post asks (DESIGN glossary): a pitch, an endorsement, a bare link, or anything else — in report order. */
export const FRAMINGS = ['pitch', 'endorsement', 'bare_link', 'other'] as const;
/** One framing of a post. */
export type Framing = (typeof FRAMINGS)[number];
/** The framing effects are multipliers relative to this one. */
export const REFERENCE_FRAMING: Framing = 'pitch';

/**
 * How a conversion is tied to a link, post or account, in the order the rules are tried (docs/importers.md): the
 * click of its click id; the link or post the record names; a discount or referral code of the `codes` table valid at
 * its time; UTM tags that match a link's tagged URL; or nothing.
 */
export const TIE_RULES = ['click', 'link', 'post', 'code', 'utm', 'none'] as const;
/** One tie rule. */
export type TieRule = (typeof TIE_RULES)[number];
