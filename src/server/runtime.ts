/** The per-server moving parts behind a ServerContext: the link cache, the click buffer and the redirector. */
import type { ServerContext } from './context.js';
import type { ClickBuffer } from './clicks/buffer.js';
import type { Redirector } from './clicks/redirect.js';
import type { LinkCache } from './links/cache.js';

/** What buildApp sets up for a context. */
export interface ServerRuntime {
  links: LinkCache;
  clicks: ClickBuffer;
  redirector: Redirector;
}

const RUNTIMES = new WeakMap<ServerContext, ServerRuntime>();

/** Attaches the runtime of a context (buildApp does this once). */
export function attachRuntime(ctx: ServerContext, runtime: ServerRuntime): void {
  RUNTIMES.set(ctx, runtime);
}

/** The runtime of a context built by buildApp. */
export function runtimeOf(ctx: ServerContext): ServerRuntime {
  const r = RUNTIMES.get(ctx);
  if (r === undefined) throw new Error('server runtime missing: build the app with buildApp(ctx) first');
  return r;
}

/** Writes every accepted click into `clicks` now (reads, tests, graceful stop); resolves once committed. */
export async function flushClicks(ctx: ServerContext): Promise<void> {
  await runtimeOf(ctx).clicks.settle();
}
