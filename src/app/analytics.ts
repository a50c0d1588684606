/**
 * Use case "what did my links do?" (`GET /api/analytics`): clicks, unique clicks, bot clicks and credited conversions
 * grouped by link, post, author, campaign or day, over an optional time range.
 */
import { z } from 'zod';
import { CloutError, fromMinorUnits, parseTimestamp } from '../domain/index.js';
import { ANALYTICS_GROUPS, analytics as analyticsRows, type AnalyticsRow, type Conn } from '../store/index.js';

const instant = (bound: string) =>
  z
    .string()
    .max(40)
    .refine((t) => parseTimestamp(t) !== undefined, 'must be an ISO 8601 timestamp or a date YYYY-MM-DD')
    .optional()
    .describe(`${bound}: ISO 8601 timestamp or YYYY-MM-DD (UTC).`);

/** Options of the analytics: one schema for the HTTP query (and any other door). */
export const ANALYTICS_OPTIONS = z
  .object({
    group_by: z.enum(ANALYTICS_GROUPS).default('link').describe('what each row counts for'),
    from: instant('Inclusive start'),
    to: instant('Exclusive end'),
  })
  .strict();
export type AnalyticsOptions = z.output<typeof ANALYTICS_OPTIONS>;

/** The analytics document: the range and one row per group, values per currency in major units. */
export interface AnalyticsDoc {
  group_by: AnalyticsOptions['group_by'];
  from: string | null;
  to: string | null;
  data: (AnalyticsRow & { value: Record<string, number> })[];
}

/** Reads the grouped counts for the options' range; `to` must come after `from`. */
export async function analytics(conn: Conn, options: AnalyticsOptions): Promise<AnalyticsDoc> {
  const fromMs = options.from === undefined ? undefined : parseTimestamp(options.from);
  const toMs = options.to === undefined ? undefined : parseTimestamp(options.to);
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) throw new CloutError('bad_option', 'to must be after from');
  const rows = await analyticsRows(conn, options.group_by, fromMs, toMs);
  return {
    group_by: options.group_by,
    from: fromMs === undefined ? null : new Date(fromMs).toISOString(),
    to: toMs === undefined ? null : new Date(toMs).toISOString(),
    data: rows.map((r) => ({
      ...r,
      value: Object.fromEntries(Object.entries(r.value_minor).map(([cur, v]) => [cur, cur === '' ? v : fromMinorUnits(v, cur)])),
    })),
  };
}
