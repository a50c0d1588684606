/** JSON schemas of the link API (used by Fastify for validation and by /openapi.json). */

const nullableId = { type: ['string', 'null'], minLength: 1, maxLength: 200 } as const;

export const variantSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'weight'],
  properties: {
    url: { type: 'string', maxLength: 2048 },
    weight: { type: 'number', exclusiveMinimum: 0, maximum: 1e6 },
    label: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

const mutable = {
  url: { type: 'string', maxLength: 2048, description: 'Destination: an absolute http(s) URL without credentials.' },
  key: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'Short key; generated when absent.' },
  post_id: nullableId,
  campaign_id: nullableId,
  author_id: nullableId,
  variants: {
    type: ['array', 'null'],
    minItems: 1,
    maxItems: 32,
    items: variantSchema,
    description: 'Weighted destinations; each click goes to one, chosen at random by weight, and records its label.',
  },
  click_id_param: {
    type: ['string', 'null'],
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z0-9_.~-]+$',
    description: "Query parameter carrying the click id (default 'clout_id'); null = no click id.",
  },
} as const;

export const createLinkSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: mutable,
} as const;

export const patchLinkSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: mutable,
} as const;

export const linkSchema = {
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
    variants: { type: ['array', 'null'], items: variantSchema },
    click_id_param: { type: ['string', 'null'] },
    created_at: { type: ['string', 'null'], format: 'date-time' },
    updated_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

export const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    after: { type: 'string', maxLength: 200, description: 'Cursor: the `next` value of the previous page.' },
  },
} as const;

export const idParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 200 } },
} as const;
