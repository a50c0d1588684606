/**
 * /openapi.json: the OpenAPI 3.1 document of the service. Request schemas are generated (z.toJSONSchema) from the
 * very zod schemas the routes validate with; the conversion, webhook and client-script part comes from
 * ./conversions.ts (owned by that module's author).
 */
import type { FastifyInstance } from 'fastify';
import { ANALYTICS_OPTIONS } from '../../app/analytics.js';
import type { ServerContext } from '../context.js';
import { REPORT_OPTIONS } from '../../app/report.js';
import { createLinkSchema, idParamsSchema, linkResponseSchema, listQuerySchema, patchLinkSchema } from '../links/schema.js';
import { importBodySchema } from '../local/routes.js';
import { jsonSchemaOf, parametersOf } from '../validation.js';
import { conversionsOpenApi } from './conversions.js';
import type { OpenApiPart } from './types.js';

const problemRef = { $ref: '#/components/responses/Problem' };
const std = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  '400': problemRef,
  '401': problemRef,
  '403': problemRef,
  '429': problemRef,
  ...extra,
});
const json = (schema: unknown): Record<string, unknown> => ({ content: { 'application/json': { schema } } });

const idParam = parametersOf(idParamsSchema, 'path')[0]!;

const analyticsRow = {
  type: 'object',
  properties: {
    key: { type: ['string', 'null'], description: 'The group (link id, post id, author id, campaign id or YYYY-MM-DD); null = none.' },
    clicks: { type: 'integer', description: 'Human clicks (not bots, not HEAD/previews).' },
    unique_clicks: { type: 'integer', description: 'Distinct (visitor, link, hour) among human clicks.' },
    bot_clicks: { type: 'integer' },
    leads: { type: 'integer' },
    sales: { type: 'integer' },
    donations: { type: 'integer' },
    signups: { type: 'integer' },
    conversions: { type: 'integer' },
    value: { type: 'object', additionalProperties: { type: 'number' }, description: 'Credited value per currency, major units.' },
    value_minor: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Credited value per currency, minor units.' },
  },
};

/** The paths and schemas of this module's own routes. */
export const corePaths: OpenApiPart = {
  schemas: {
    Link: linkResponseSchema,
    LinkCreate: jsonSchemaOf(createLinkSchema),
    LinkPatch: jsonSchemaOf(patchLinkSchema),
    Problem: {
      type: 'object',
      required: ['type', 'title', 'status', 'detail', 'code'],
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        code: { type: 'string' },
      },
    },
  },
  paths: {
    '/{key}': {
      get: {
        summary: 'Redirect a short link (302) and record the click',
        security: [],
        parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }],
        responses: {
          '302': { description: 'To the destination, with the click id appended (unless the link turns it off).', headers: { Location: { schema: { type: 'string' } } } },
          '404': problemRef,
        },
      },
      head: {
        summary: 'Same as GET; the click is recorded as a preview (bot), never a human click',
        security: [],
        parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '302': { description: 'As GET' }, '404': { description: 'Unknown key' } },
      },
    },
    '/api/links': {
      post: {
        summary: 'Create a tracked link',
        description: 'Scope links:write.',
        requestBody: { required: true, ...json({ $ref: '#/components/schemas/LinkCreate' }) },
        responses: std({ '201': { description: 'Created', ...json({ $ref: '#/components/schemas/Link' }) }, '409': problemRef, '413': problemRef }),
      },
      get: {
        summary: 'List links (cursor pagination, by id)',
        description: 'Scope links:read or links:write.',
        parameters: parametersOf(listQuerySchema),
        responses: std({
          '200': {
            description: 'A page',
            ...json({ type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Link' } }, next: { type: ['string', 'null'] } } }),
          },
        }),
      },
    },
    '/api/links/{id}': {
      get: { summary: 'One link', description: 'Scope links:read or links:write.', parameters: [idParam], responses: std({ '200': { description: 'The link', ...json({ $ref: '#/components/schemas/Link' }) }, '404': problemRef }) },
      patch: {
        summary: 'Change a link',
        description: 'Scope links:write.',
        parameters: [idParam],
        requestBody: { required: true, ...json({ $ref: '#/components/schemas/LinkPatch' }) },
        responses: std({ '200': { description: 'The link', ...json({ $ref: '#/components/schemas/Link' }) }, '404': problemRef, '409': problemRef }),
      },
      delete: { summary: 'Delete a link (its redirect stops; its clicks stay)', description: 'Scope links:write.', parameters: [idParam], responses: std({ '204': { description: 'Deleted' }, '404': problemRef }) },
    },
    '/api/analytics': {
      get: {
        summary: 'Clicks, unique clicks, bot clicks, leads, sales, donations and value by group',
        description: 'Scope analytics:read.',
        parameters: parametersOf(ANALYTICS_OPTIONS),
        responses: std({
          '200': {
            description: 'Rows by group',
            ...json({ type: 'object', properties: { group_by: { type: 'string' }, from: { type: ['string', 'null'] }, to: { type: ['string', 'null'] }, data: { type: 'array', items: analyticsRow } } }),
          },
        }),
      },
    },
    '/api/report': {
      get: {
        summary: "The influence report (exactly `clout report --json`'s document)",
        description: 'Scope admin (the CLI uses the server\'s local token).',
        parameters: parametersOf(REPORT_OPTIONS),
        responses: std({ '200': { description: 'The report', ...json({ type: 'object' }) } }),
      },
    },
    '/api/import': {
      post: {
        summary: 'Import files from the server\'s file system (what `clout import` does while the server holds the store)',
        description: 'Scope admin.',
        requestBody: { required: true, ...json(jsonSchemaOf(importBodySchema)) },
        responses: std({ '200': { description: 'The import summary (per file counts, rejects path, notices)', ...json({ type: 'object' }) } }),
      },
    },
    '/healthz': { get: { summary: 'Liveness', security: [], responses: { '200': { description: 'ok' } } } },
  },
};

/** Builds the OpenAPI document from its parts. */
export function openApiDocument(baseUrl: string, parts: readonly OpenApiPart[] = [corePaths, conversionsOpenApi]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const p of parts) {
    for (const [path, item] of Object.entries(p.paths)) paths[path] = { ...((paths[path] as object | undefined) ?? {}), ...(item as object) };
    Object.assign(schemas, p.schemas);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'clout tracking service', version: '0.1.0', description: 'Tracked links, click capture, conversions and analytics. See docs/api.md.' },
    servers: baseUrl !== '' ? [{ url: baseUrl }] : [],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key: clout_… (secret) or clout_pk_… (publishable).' } },
      schemas,
      responses: { Problem: { description: 'RFC 9457 problem details', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
    },
  };
}

/** Registers GET /openapi.json (no key needed). */
export async function registerOpenApi(app: FastifyInstance, ctx: Pick<ServerContext, 'config'>): Promise<void> {
  app.get('/openapi.json', async () => openApiDocument(ctx.config.baseUrl));
}
