/** The one conversion writer of a server context, shared by the tracking API and the webhooks. */
import type { ServerContext } from '../context.js';
import { runtimeOf } from '../runtime.js';
import { HttpProblem } from '../problem.js';
import { ConversionWriter, type WriteOutcome, type WriteRequest } from './writer.js';

const WRITERS = new WeakMap<ServerContext, ConversionWriter>();

/** The conversion writer of `ctx` (created on first use; it also knows the clicks the redirect has not merged yet). */
export function conversionWriterOf(ctx: ServerContext): ConversionWriter {
  let w = WRITERS.get(ctx);
  if (w === undefined) {
    w = new ConversionWriter(ctx.db, () => ctx.now(), {
      unmergedClickLink: (clickId) => {
        try {
          return runtimeOf(ctx).clicks.linkOf(clickId);
        } catch {
          return undefined; // no runtime (a context without the redirect): no click buffer
        }
      },
    });
    WRITERS.set(ctx, w);
  }
  return w;
}

/** Submits a request; a store failure becomes 503 with Retry-After so that clients retry with the same key. */
export async function writeConversion(ctx: ServerContext, request: WriteRequest): Promise<WriteOutcome> {
  try {
    return await conversionWriterOf(ctx).submit(request);
  } catch (e) {
    throw new HttpProblem(503, 'store_unavailable', `the conversion was not stored: ${(e as Error).message}; retry with the same Idempotency-Key`, {
      'retry-after': '1',
    });
  }
}
