/**
 * Standard Webhooks payloads → conversions. `{type: 'conversion.created', data: {type, …tracking body}}` records a
 * conversion of `data.type` (lead, signup, sale, donation) with the same fields and checks as `POST /api/track`;
 * other event types are ignored.
 */
import { z } from 'zod';
import { TRACK_TYPES, describeIssues, toConversionInput, trackBodySchema, type ConversionInput } from '../conversions/schema.js';

/** The event type that records a conversion. */
export const STANDARD_CONVERSION_EVENT = 'conversion.created';

const envelope = z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) }).loose();

/** What to do with a verified Standard Webhooks payload. */
export type StandardMapping = { kind: 'conversion'; input: ConversionInput } | { kind: 'ignore'; reason: string } | { kind: 'invalid'; reason: string };

/** Maps a parsed payload to a conversion (pure). */
export function mapStandardEvent(payload: unknown): StandardMapping {
  const env = envelope.safeParse(payload);
  if (!env.success) return { kind: 'invalid', reason: describeIssues(env.error) };
  if (env.data.type !== STANDARD_CONVERSION_EVENT) return { kind: 'ignore', reason: `event type ${env.data.type} is not tracked` };
  const { type, ...rest } = env.data.data;
  if (typeof type !== 'string' || !(TRACK_TYPES as readonly string[]).includes(type)) {
    return { kind: 'invalid', reason: `data.type must be one of ${TRACK_TYPES.join(', ')}` };
  }
  const body = trackBodySchema.safeParse(rest);
  if (!body.success) return { kind: 'invalid', reason: describeIssues(body.error).replace(/(^|; )/g, '$1data.') };
  return { kind: 'conversion', input: toConversionInput(type as (typeof TRACK_TYPES)[number], body.data, 'standard') };
}
