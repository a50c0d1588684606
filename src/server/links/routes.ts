/** The link API: create, list, read, update and (soft-)delete tracked links under /api/links. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { deleteLink, findLinkByKey, getLink, insertLink, listLinks, updateLink, type LinkRow, type LinkVariant } from '../../store/server-links.js';
import { requireScope } from '../auth.js';
import type { ServerContext } from '../context.js';
import { HttpProblem } from '../problem.js';
import type { LinkCache } from './cache.js';
import { validate } from '../validation.js';
import { createLinkSchema, idParamsSchema, listQuerySchema, patchLinkSchema, type LinkCreate, type LinkPatch } from './schema.js';
import { checkDestination, checkKey, generateKey } from './validate.js';

/** The JSON form of a link. */
export function linkJson(row: LinkRow, baseUrl: string, defaultParam: string): Record<string, unknown> {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: row.id,
    key: row.key,
    short_url: row.key === null ? null : `${baseUrl}/${row.key}`,
    url: row.url,
    post_id: row.post_id,
    campaign_id: row.campaign_id,
    author_id: row.author_id,
    variants: row.variants,
    click_id_param: row.click_id_param === undefined ? defaultParam : row.click_id_param,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** A new link id: `lnk_` + creation time (sortable) + randomness. */
export function newLinkId(now: number): string {
  return `lnk_${now.toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}

function checkVariants(variants: LinkVariant[] | null | undefined, selfOrigin: string | undefined): LinkVariant[] | null | undefined {
  if (variants === null || variants === undefined) return variants;
  const labels = new Set<string>();
  return variants.map((v, i) => {
    const label = v.label ?? String(i);
    if (labels.has(label)) throw new HttpProblem(400, 'invalid_variants', `variant label '${label}' is used twice`);
    labels.add(label);
    return { url: checkDestination(v.url, `variants[${i}].url`, selfOrigin), weight: v.weight, label };
  });
}

function originOf(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}

/** What the link routes use of the server context. */
export type LinkDeps = Pick<ServerContext, 'db' | 'config' | 'now' | 'auth'>;

/** Registers /api/links routes; `cache` (the redirect's) is updated after every committed write. */
export async function registerLinkRoutes(app: FastifyInstance, ctx: LinkDeps, cache: LinkCache): Promise<void> {
  const { clickIdParam } = ctx.config;
  // baseUrl is read per request: with port 0 it is known only once the server listens.
  let selfCache: [string, string | undefined] = ['', undefined];
  const selfOrigin = (): string | undefined => {
    if (selfCache[0] !== ctx.config.baseUrl) selfCache = [ctx.config.baseUrl, originOf(ctx.config.baseUrl)];
    return selfCache[1];
  };
  const read = requireScope(ctx.auth, 'links:read', 'links:write');
  const write = requireScope(ctx.auth, 'links:write');
  const createBody = validate({ body: createLinkSchema });
  const patchBody = validate({ params: idParamsSchema, body: patchLinkSchema });
  const idOnly = validate({ params: idParamsSchema });
  const json = (row: LinkRow): Record<string, unknown> => linkJson(row, ctx.config.baseUrl, clickIdParam);

  app.post<{ Body: LinkCreate }>('/api/links', { preValidation: createBody, preHandler: write }, async (request, reply) => {
    const body = request.body;
    const url = checkDestination(body.url, 'url', selfOrigin());
    const variants = checkVariants(body.variants, selfOrigin()) ?? null;
    if (body.key !== undefined) checkKey(body.key);
    const now = ctx.now();
    const row = await ctx.db.write(async (conn) => {
      let key = body.key;
      if (key !== undefined) {
        if ((await findLinkByKey(conn, key)) !== undefined) throw new HttpProblem(409, 'key_taken', `key '${key}' is already in use`);
      } else {
        for (let i = 0; key === undefined; i++) {
          const k = generateKey(i < 3 ? 7 : 10);
          if ((await findLinkByKey(conn, k)) === undefined) key = k;
        }
      }
      const link: LinkRow = {
        id: newLinkId(now),
        key,
        url,
        post_id: body.post_id ?? null,
        campaign_id: body.campaign_id ?? null,
        author_id: body.author_id ?? null,
        variants,
        click_id_param: body.click_id_param === undefined ? clickIdParam : body.click_id_param,
        created_at: now,
        updated_at: now,
      };
      await insertLink(conn, link, now);
      return link;
    });
    cache.put(row);
    reply.code(201).header('location', `/api/links/${row.id}`);
    return json(row);
  });

  app.get<{ Querystring: z.output<typeof listQuerySchema> }>('/api/links', { preValidation: validate({ querystring: listQuerySchema }), preHandler: read }, async (request) => {
    const { limit, after } = request.query;
    const rows = await ctx.db.read((conn) => listLinks(conn, limit + 1, after));
    const page = rows.slice(0, limit);
    return { data: page.map(json), next: rows.length > limit ? page[page.length - 1]!.id : null };
  });

  app.get<{ Params: { id: string } }>('/api/links/:id', { preValidation: idOnly, preHandler: read }, async (request) => {
    const row = await ctx.db.read((conn) => getLink(conn, request.params.id));
    if (row === undefined) throw new HttpProblem(404, 'not_found', `no link with id '${request.params.id}'`);
    return json(row);
  });

  app.patch<{ Params: { id: string }; Body: LinkPatch }>(
    '/api/links/:id',
    { preValidation: patchBody, preHandler: write },
    async (request) => {
      const body = request.body;
      const url = body.url === undefined ? undefined : checkDestination(body.url, 'url', selfOrigin());
      const variants = checkVariants(body.variants, selfOrigin());
      if (body.key !== undefined) checkKey(body.key);
      const now = ctx.now();
      const { row, previousKey } = await ctx.db.write(async (conn) => {
        const old = await getLink(conn, request.params.id);
        if (old === undefined) throw new HttpProblem(404, 'not_found', `no link with id '${request.params.id}'`);
        if (body.key !== undefined && body.key !== old.key) {
          const holder = await findLinkByKey(conn, body.key);
          if (holder !== undefined && holder.id !== old.id) throw new HttpProblem(409, 'key_taken', `key '${body.key}' is already in use`);
        }
        const next: LinkRow = {
          ...old,
          url: url ?? old.url,
          key: body.key ?? old.key,
          post_id: body.post_id !== undefined ? body.post_id : old.post_id,
          campaign_id: body.campaign_id !== undefined ? body.campaign_id : old.campaign_id,
          author_id: body.author_id !== undefined ? body.author_id : old.author_id,
          variants: variants !== undefined ? variants : old.variants,
          click_id_param: body.click_id_param !== undefined ? body.click_id_param : old.click_id_param,
          updated_at: now,
        };
        await updateLink(conn, next, now, clickIdParam);
        if (next.click_id_param === undefined) next.click_id_param = clickIdParam;
        return { row: next, previousKey: old.key };
      });
      cache.put(row, previousKey);
      return json(row);
    },
  );

  app.delete<{ Params: { id: string } }>('/api/links/:id', { preValidation: idOnly, preHandler: write }, async (request, reply) => {
    const now = ctx.now();
    const key = await ctx.db.write(async (conn) => {
      const old = await getLink(conn, request.params.id);
      if (old === undefined) throw new HttpProblem(404, 'not_found', `no link with id '${request.params.id}'`);
      await deleteLink(conn, old.id, now);
      return old.key;
    });
    cache.remove(key);
    return reply.code(204).send();
  });
}
