/**
 * The conversion API's request body: one zod schema (the TypeScript type is derived from it), its limits beside
 * it, and the normalisation every writer shares (click path, hashed e-mail customers, upper-case currency).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isoCurrencySchema } from '../validation.js';

export { describeIssues } from '../validation.js';

/** Conversion types the tracking API accepts, one per route `/api/track/<type>`. */
export const TRACK_TYPES = ['lead', 'sale', 'donation', 'signup'] as const;
/** A conversion type the tracking API records. */
export type TrackType = (typeof TRACK_TYPES)[number];

/** Types a publishable (browser) key may record: nothing that carries money a browser could forge. */
export const CLIENT_TYPES: readonly TrackType[] = ['lead', 'signup'];

/** Limits of one tracking request. */
export const TRACK_LIMITS = {
  /** Longest click path kept (oldest entries beyond it are dropped by clout.js; the API rejects longer ones). */
  maxClickIds: 50,
  /** Longest id of any kind (click, customer, external, link key). */
  maxIdLength: 200,
  /** Largest amount in minor units (2^53 - 1: exact in a JS number and in BIGINT). */
  maxAmount: Number.MAX_SAFE_INTEGER,
  /** Metadata: at most this many bytes as JSON … */
  maxMetadataBytes: 4096,
  /** … and at most this many top-level keys. */
  maxMetadataKeys: 50,
  maxEventNameLength: 200,
} as const;

const id = z.string().trim().min(1).max(TRACK_LIMITS.maxIdLength);

/** The JSON body of `POST /api/track/<type>` (unknown fields are rejected, not dropped). */
export const trackBodySchema = z
  .strictObject({
    click_id: id.optional(),
    click_ids: z.array(id).min(1).max(TRACK_LIMITS.maxClickIds).optional(),
    link_key: id.optional(),
    customer_id: id,
    amount: z.number().int().min(0).max(TRACK_LIMITS.maxAmount).optional(),
    currency: isoCurrencySchema.optional(),
    event_name: z.string().trim().min(1).max(TRACK_LIMITS.maxEventNameLength).optional(),
    external_id: id.optional(),
    metadata: z
      .record(z.string(), z.unknown())
      .refine((m) => Object.keys(m).length <= TRACK_LIMITS.maxMetadataKeys, {
        message: `at most ${TRACK_LIMITS.maxMetadataKeys} keys`,
      })
      .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= TRACK_LIMITS.maxMetadataBytes, {
        message: `at most ${TRACK_LIMITS.maxMetadataBytes} bytes as JSON`,
      })
      .optional(),
  })
  .refine((b) => !(b.amount !== undefined && b.amount > 0 && b.currency === undefined), {
    message: 'currency is required when amount > 0',
    path: ['currency'],
  });

/** A validated tracking body. */
export type TrackBody = z.output<typeof trackBodySchema>;

/** A validated conversion, normalised and ready for the writer. */
export interface ConversionInput {
  type: TrackType;
  /** Click ids oldest first; the last one is the last touch. Empty when none was sent. */
  clickIds: string[];
  linkKey: string | null;
  /** Null only for webhook sales that name no customer. */
  customerId: string | null;
  amountMinor: number | null;
  currency: string | null;
  eventName: string | null;
  externalId: string | null;
  metadata: Record<string, unknown> | null;
  /** Where it came from: `api` (secret key), `client` (publishable key), `stripe`, `standard` (webhooks). */
  source: 'api' | 'client' | 'stripe' | 'standard';
}

/** Hashes an e-mail address (trimmed, lower-cased) so no raw address is ever stored: `email_<sha256 hex>`. */
export function hashEmail(email: string): string {
  return 'email_' + createHash('sha256').update(`clout:email:${email.trim().toLowerCase()}`).digest('hex');
}

/** A customer id as stored: e-mail addresses are replaced by their hash, other ids are kept. */
export function normaliseCustomerId(customerId: string): string {
  return customerId.includes('@') ? hashEmail(customerId) : customerId;
}

/**
 * The click path of a body: `click_ids` (oldest first) with `click_id` as the last touch — appended when the list
 * does not already end with it.
 */
export function clickPath(body: Pick<TrackBody, 'click_id' | 'click_ids'>): string[] {
  const path = [...(body.click_ids ?? [])];
  if (body.click_id !== undefined && path[path.length - 1] !== body.click_id) path.push(body.click_id);
  return path;
}

/** Turns a validated body into the writer's input. */
export function toConversionInput(type: TrackType, body: TrackBody, source: ConversionInput['source']): ConversionInput {
  return {
    type,
    clickIds: clickPath(body),
    linkKey: body.link_key ?? null,
    customerId: normaliseCustomerId(body.customer_id),
    amountMinor: body.amount ?? null,
    currency: body.currency ?? null,
    eventName: body.event_name ?? null,
    externalId: body.external_id ?? null,
    metadata: body.metadata ?? null,
    source,
  };
}
