/** Serves `/clout.js`: the first-party landing-page script, with a strong ETag and an hour of caching. */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { CLOUT_JS } from './script.js';

/** Cache lifetime of /clout.js in seconds (an hour: a new version reaches pages within that). */
export const CLIENT_SCRIPT_MAX_AGE_S = 3600;

/** Registers `GET /clout.js` (HEAD follows from Fastify's exposeHeadRoutes). */
export async function registerClientScript(app: FastifyInstance): Promise<void> {
  const body = Buffer.from(CLOUT_JS, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  app.get('/clout.js', async (request, reply) => {
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', `public, max-age=${CLIENT_SCRIPT_MAX_AGE_S}`)
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff')
      .header('cross-origin-resource-policy', 'cross-origin');
    const inm = request.headers['if-none-match'];
    if (typeof inm === 'string' && inm.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) {
      return reply.code(304).send();
    }
    return reply.send(body);
  });
}
