/**
 * One validation language: zod schemas, parsed by validate()/parseWith, answered as 400 problem+json naming the
 * field and the reason; /openapi.json's request schemas are generated from the very same schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ANALYTICS_OPTIONS } from '../../src/app/analytics.js';
import { createLinkSchema, listQuerySchema, patchLinkSchema } from '../../src/server/links/schema.js';
import { importBodySchema } from '../../src/server/local/routes.js';
import { optionsFromText } from '../../src/app/options.js';
import { REPORT_OPTIONS } from '../../src/app/report.js';
import { HttpProblem } from '../../src/server/problem.js';
import { describeIssues, fieldName, jsonSchemaOf, parametersOf, parseWith, queryBoolean } from '../../src/server/validation.js';
import { testServer, type TestServer } from '../support/server.js';

describe('parseWith and describeIssues', () => {
  const schema = z.strictObject({ n: z.number().int().min(1), items: z.array(z.strictObject({ w: z.number().gt(0) })).optional() });

  it('returns the parsed value, defaults applied', () => {
    expect(parseWith(z.strictObject({ limit: z.coerce.number().default(100) }), {})).toEqual({ limit: 100 });
  });

  it('throws a 400 HttpProblem naming each field and its reason', () => {
    let caught: unknown;
    try {
      parseWith(schema, { n: 0, items: [{ w: 1 }, { w: 0 }], extra: true });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HttpProblem);
    const p = caught as HttpProblem;
    expect([p.status, p.code]).toEqual([400, 'validation']);
    expect(p.message).toMatch(/(^|; )n: Too small/);
    expect(p.message).toMatch(/(^|; )items\[1\]\.w: Too small/);
    expect(p.message).toMatch(/(^|; )body: Unrecognized key: "extra"/);
  });

  it('takes the status, code and root name of the caller', () => {
    expect(() => parseWith(schema, 'x', { status: 422, code: 'invalid_body', root: 'query' })).toThrow(
      expect.objectContaining({ status: 422, code: 'invalid_body', message: expect.stringMatching(/^query: /) }),
    );
  });

  it('names paths like code does', () => {
    expect(fieldName([], 'query')).toBe('query');
    expect(fieldName(['variants', 0, 'url'])).toBe('variants[0].url');
    const r = schema.safeParse({});
    expect(describeIssues(r.error!)).toMatch(/^n: /);
  });

  it('reads boolean query parameters as true/false only', () => {
    const q = z.strictObject({ model: queryBoolean(true) });
    expect(q.parse({})).toEqual({ model: true });
    expect(q.parse({ model: 'false' })).toEqual({ model: false });
    expect(q.safeParse({ model: 'no' }).success).toBe(false);
  });
});

describe('request schemas', () => {
  it('keep the defaults of the API', () => {
    expect(listQuerySchema.parse({})).toEqual({ limit: 100 });
    expect(optionsFromText(ANALYTICS_OPTIONS, {})).toEqual({ group_by: 'link' });
    expect(optionsFromText(REPORT_OPTIONS, {})).toMatchObject({ rank_by: 'conversions_per_post', model: true, seed: 1 });
    expect(optionsFromText(REPORT_OPTIONS, { niter: '200', seed: '7', model: 'false', currency: 'eur' })).toMatchObject({ niter: 200, seed: 7, model: false, currency: 'EUR' });
  });

  it('reject unknown properties everywhere', () => {
    for (const [schema, value] of [
      [createLinkSchema, { url: 'https://a.example/', surprise: 1 }],
      [patchLinkSchema, { surprise: 1 }],
      [listQuerySchema, { page: '2' }],
      [ANALYTICS_OPTIONS, { group: 'post' }],
      [REPORT_OPTIONS, { rankby: 'value' }],
      [importBodySchema, { paths: ['a'], force: true }],
    ] as const) {
      expect((schema as z.ZodType).safeParse(value).success, JSON.stringify(value)).toBe(false);
    }
  });

  it('become JSON Schema (no $schema key) with unknown properties forbidden and required fields kept', () => {
    const create = jsonSchemaOf(createLinkSchema);
    expect(create).toMatchObject({ type: 'object', required: ['url'], additionalProperties: false });
    expect(create.$schema).toBeUndefined();
    expect(jsonSchemaOf(patchLinkSchema)).toMatchObject({ minProperties: 1, additionalProperties: false });
    expect(parametersOf(listQuerySchema)).toEqual([
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
      { name: 'after', in: 'query', required: false, description: 'Cursor: the `next` value of the previous page.', schema: { type: 'string', maxLength: 200 } },
    ]);
  });
});

describe('over HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => {
    await s.close();
  });

  async function problem(res: Response): Promise<{ status: number; code: string; detail: string }> {
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as { code: string; detail: string; type: string };
    expect(body.type).toBe(`urn:clout:problem:${body.code}`);
    return { status: res.status, code: body.code, detail: body.detail };
  }

  it.each([
    ['GET', '/api/links?limit=0', undefined, /^limit: /],
    ['GET', '/api/links?limit=abc', undefined, /^limit: /],
    ['GET', '/api/links?page=2', undefined, /^query: Unrecognized key: "page"/],
    ['GET', '/api/analytics?group_by=week', undefined, /^group_by must be one of link, post, author, campaign, day; got 'week'/],
    ['GET', '/api/report?niter=10', undefined, /^niter must be a whole number between 50 and 1,000,000; got '10'/],
    ['GET', '/api/report?model=yes', undefined, /^model must be true or false; got 'yes'/],
    ['POST', '/api/import', { paths: [] }, /^paths: Too small/],
    ['POST', '/api/import', { paths: ['/x'], kind: 'nope' }, /^kind: /],
    ['POST', '/api/links', { url: 'https://a.example/', variants: [{ url: 'https://b.example/', weight: -1 }] }, /^variants\[0\]\.weight: /],
    ['POST', '/api/links', {}, /^url: /],
  ] as const)('%s %s → 400 validation naming the field', async (method, path, body, detail) => {
    const p = await problem(await s.req(method, path, { key: s.adminKey, ...(body !== undefined ? { body } : {}) }));
    expect([p.status, p.code]).toEqual([400, 'validation']);
    expect(p.detail).toMatch(detail);
  });

  it('PATCH with an empty body is refused', async () => {
    const created = (await (await s.req('POST', '/api/links', { key: s.adminKey, body: { url: 'https://a.example/' } })).json()) as { id: string };
    const p = await problem(await s.req('PATCH', `/api/links/${created.id}`, { key: s.adminKey, body: {} }));
    expect([p.status, p.code]).toEqual([400, 'validation']);
    expect(p.detail).toMatch(/at least one field/);
  });

  it('/openapi.json carries the schemas generated from the routes\' zod schemas', async () => {
    const doc = (await (await s.req('GET', '/openapi.json')).json()) as any;
    expect(doc.components.schemas.LinkCreate).toEqual(jsonSchemaOf(createLinkSchema));
    expect(doc.components.schemas.LinkPatch).toEqual(jsonSchemaOf(patchLinkSchema));
    expect(doc.paths['/api/links'].get.parameters).toEqual(parametersOf(listQuerySchema));
    expect(doc.paths['/api/analytics'].get.parameters).toEqual(parametersOf(ANALYTICS_OPTIONS));
    expect(doc.paths['/api/report'].get.parameters).toEqual(parametersOf(REPORT_OPTIONS));
    expect(doc.paths['/api/import'].post.requestBody.content['application/json'].schema).toEqual(jsonSchemaOf(importBodySchema));
  });
});
