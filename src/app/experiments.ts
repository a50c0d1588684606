/** Use case "did variant B beat A?" (`clout ab`): a tracked link's visitors and conversions per variant, tested sequentially. */
import { z } from 'zod';
import { MSPRT_DEFAULTS, abTest, type AbTestResult } from '../analysis/experiments/index.js';
import { CONVERSION_TYPES, CloutError } from '../domain/index.js';
import { experimentVisitors, findExperimentLink, type Conn } from '../store/index.js';

/** Options of `ab`: one schema for the CLI's flags (and any other door). */
export const AB_OPTIONS = z
  .object({
    link: z.string().min(1).describe("the tracked link's key (or id)"),
    type: z.array(z.enum(CONVERSION_TYPES)).default([]).describe('conversion types that count (default: all)'),
    control: z.string().optional().describe('the control variant (default: the first)'),
    alpha: z.number().gt(0).lt(1).optional().describe(`significance level (default ${MSPRT_DEFAULTS.alpha})`),
    tau: z.number().gt(0).optional().describe(`sd of the mixing distribution of the rate difference (default ${MSPRT_DEFAULTS.tau})`),
  })
  .strict();
export type AbOptions = z.output<typeof AB_OPTIONS>;

/** The request of `analyseLink` from the options. */
export function abRequest(o: AbOptions): AbRequest {
  return {
    link: o.link,
    types: o.type,
    ...(o.control !== undefined ? { control: o.control } : {}),
    ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
    ...(o.tau !== undefined ? { tau: o.tau } : {}),
  };
}

/** What to analyse. */
export interface AbRequest {
  /** The link's key (or id). */
  link: string;
  /** Conversion types that count (all when empty). */
  types: string[];
  control?: string;
  alpha?: number;
  tau?: number;
}

/** The `clout ab --json` document. */
export interface AbDoc extends AbTestResult {
  link: { id: string; key: string | null; post_id: string | null; author_id: string | null; variants: string[]; weights: number[] | null };
  /** Conversion types counted (empty: all). */
  types: string[];
}

/** Loads the link's visitors from the store and runs the A/B analysis. */
export async function analyseLink(conn: Conn, req: AbRequest): Promise<AbDoc> {
  const link = await findExperimentLink(conn, req.link);
  if (link === undefined) throw new CloutError('usage', `no link with key or id '${req.link}' in the store`);
  const labels = [...link.variants, ...link.other_labels];
  if (labels.length === 0) throw new CloutError('input', `link '${req.link}' has no variants (and no clicks carry a variant label); an A/B test needs two or more`);
  if (labels.length < 2) throw new CloutError('input', `link '${req.link}' has one variant ('${labels[0]}'); an A/B test needs two or more`);
  const rows = await experimentVisitors(conn, link.id, req.types);
  if (rows.length === 0) throw new CloutError('input', `link '${req.link}' has no human clicks with a variant label yet`);
  const index = new Map(labels.map((l, i) => [l, i]));
  const result = abTest(
    {
      labels,
      variant: Int32Array.from(rows, (r) => index.get(r.variant)!),
      converted: Uint8Array.from(rows, (r) => (r.conversions > 0 ? 1 : 0)),
      // The configured weights hold when every label seen is configured (variants edited later: observed shares).
      ...(link.other_labels.length === 0 ? { weights: link.weights } : {}),
    },
    {
      ...(req.control !== undefined ? { control: req.control } : {}),
      ...(req.alpha !== undefined ? { alpha: req.alpha } : {}),
      ...(req.tau !== undefined ? { tau: req.tau } : {}),
    },
  );
  const weights = link.other_labels.length === 0 ? link.weights : null;
  return { link: { id: link.id, key: link.key, post_id: link.post_id, author_id: link.author_id, variants: labels, weights }, types: req.types, ...result };
}

