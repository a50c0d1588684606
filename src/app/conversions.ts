/**
 * Use case "what tied each sale to whom?" (`clout conversions`): every conversion with the rule that tied it (click id,
 * named link or post, code, UTM tags, or nothing) and the link, post, account and campaign it reached.
 */
import { z } from 'zod';
import { CONVERSION_TYPES, fromMinorUnits, TIE_RULES, type ConversionTieRow, type TieRule } from '../domain/index.js';
import { accountHandles } from '../store/network.js';
import { conversionTies, conversionTotals, type Conn } from '../store/index.js';

/** Options of `clout conversions`: which conversions, by which rule, how many. */
export const CONVERSIONS_OPTIONS = z
  .object({
    type: z.enum(CONVERSION_TYPES).optional().describe('only conversions of this type (default: all)'),
    tie: z.enum(TIE_RULES).optional().describe('only conversions tied by this rule (none: those tied to nothing)'),
    limit: z.number().int().min(0).default(50).describe('list at most this many, oldest first (0: all)'),
  })
  .strict();
export type ConversionsRequest = z.output<typeof CONVERSIONS_OPTIONS>;

/** One conversion as listed: value in major units, the rule that tied it, and the handle of the account it reached. */
export type ListedConversion = Omit<ConversionTieRow, 'at' | 'value_minor'> & {
  /** ISO 8601, UTC. */
  at: string;
  value: number;
  /** The account's handle as shown (else its id), null when untied. */
  account: string | null;
};

/** The listing: how many conversions each rule tied, and the conversions asked for. */
export interface ConversionsDoc {
  conversions: number;
  tied_by: Record<TieRule, number>;
  listed: ListedConversion[];
}

/** Counts the ties of the store's conversions and lists the ones asked for. */
export async function listConversions(conn: Conn, req: ConversionsRequest): Promise<ConversionsDoc> {
  const filter = req.type !== undefined ? { types: [req.type] } : {};
  const totals = await conversionTotals(conn, filter);
  const rows = await conversionTies(conn, filter, {
    ...(req.tie !== undefined ? { tie: req.tie } : {}),
    ...(req.limit > 0 ? { limit: req.limit } : {}),
  });
  const handles = await accountHandles(conn);
  return {
    conversions: totals.conversions,
    tied_by: totals.tied_by,
    listed: rows.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      type: r.type,
      value: r.currency === null ? 0 : fromMinorUnits(r.value_minor, r.currency),
      currency: r.currency,
      tie: r.tie,
      code: r.code,
      link_id: r.link_id,
      post_id: r.post_id,
      account_id: r.account_id,
      account: r.account_id === null ? null : (handles.get(r.account_id) ?? r.account_id),
      campaign_id: r.campaign_id,
    })),
  };
}
