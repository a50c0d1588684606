/**
 * The link API's request schemas in zod (validated by the routes' preValidation hooks; /openapi.json is generated from
 * them), and the JSON Schema of a link as answered. Unknown properties are rejected, not dropped.
 */
import { z } from 'zod';
import { MAX_URL_LENGTH } from './validate.js';

const nullableId = z.string().min(1).max(200).nullable();

/** One weighted destination of a link. */
export const variantSchema = z.strictObject({
  url: z.string().max(MAX_URL_LENGTH),
  weight: z.number().gt(0).max(1e6),
  label: z.string().min(1).max(64).optional(),
});

const mutable = {
  url: z.string().max(MAX_URL_LENGTH).describe('Destination: an absolute http(s) URL without credentials.'),
  key: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be characters of A-Z a-z 0-9 _ -')
    .describe('Short key; generated when absent.'),
  post_id: nullableId,
  campaign_id: nullableId,
  author_id: nullableId,
  variants: z
    .array(variantSchema)
    .min(1)
    .max(32)
    .nullable()
    .describe('Weighted destinations; each click goes to one, chosen at random by weight, and records its label.'),
  click_id_param: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.~-]+$/, 'must be a plain URL parameter name')
    .nullable()
    .describe("Query parameter carrying the click id (default 'clout_id'); null = no click id."),
};

const optional = Object.fromEntries(Object.entries(mutable).map(([k, v]) => [k, v.optional()])) as {
  [K in keyof typeof mutable]: z.ZodOptional<(typeof mutable)[K]>;
};

/** Body of POST /api/links: `url` required, the rest optional. */
export const createLinkSchema = z.strictObject({ ...optional, url: mutable.url });

/** Body of PATCH /api/links/{id}: the same fields, all optional, at least one. */
export const patchLinkSchema = z
  .strictObject(optional)
  .refine((b) => Object.keys(b).length > 0, 'must name at least one field')
  .meta({ minProperties: 1 });

/** A validated POST body. */
export type LinkCreate = z.output<typeof createLinkSchema>;
/** A validated PATCH body. */
export type LinkPatch = z.output<typeof patchLinkSchema>;

/** Query of GET /api/links. */
export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.string().max(200).optional().describe('Cursor: the `next` value of the previous page.'),
});

/** Path parameters of /api/links/{id}. */
export const idParamsSchema = z.strictObject({ id: z.string().max(200) });

/** A link as the API answers it (JSON Schema for /openapi.json; responses are not validated). */
export const linkResponseSchema = {
  type: 'object',
  required: ['id', 'key', 'short_url', 'url', 'post_id', 'campaign_id', 'author_id', 'variants', 'click_id_param', 'created_at', 'updated_at'],
  properties: {
    id: { type: 'string' },
    key: { type: ['string', 'null'] },
    short_url: { type: ['string', 'null'] },
    url: { type: 'string' },
    post_id: { type: ['string', 'null'] },
    campaign_id: { type: ['string', 'null'] },
    author_id: { type: ['string', 'null'] },
    variants: {
      type: ['array', 'null'],
      items: { type: 'object', required: ['url', 'weight', 'label'], properties: { url: { type: 'string' }, weight: { type: 'number' }, label: { type: 'string' } } },
    },
    click_id_param: { type: ['string', 'null'] },
    created_at: { type: ['string', 'null'], format: 'date-time' },
    updated_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;
