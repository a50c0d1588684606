/** Words of clout's vocabulary that every layer shares. */

/** How a post asks (DESIGN glossary): a pitch, an endorsement, a bare link, or anything else — in report order. */
export const FRAMINGS = ['pitch', 'endorsement', 'bare_link', 'other'] as const;
/** One framing of a post. */
export type Framing = (typeof FRAMINGS)[number];
/** The framing effects are multipliers relative to this one. */
export const REFERENCE_FRAMING: Framing = 'pitch';
