/** The conversion writer of a server, shared by the tracking API and the webhooks, and its HTTP error mapping. */
import type { ClickBuffer } from '../clicks/buffer.js';
import type { DbQueue } from '../db-queue.js';
import { HttpProblem } from '../problem.js';
import { ConversionWriter, type WriteOutcome, type WriteRequest } from './writer.js';

/** The one conversion writer of a server; it also knows the clicks the redirect has not merged into the store yet. */
export function createConversionWriter(db: DbQueue, now: () => number, clicks: Pick<ClickBuffer, 'linkOf'>): ConversionWriter {
  return new ConversionWriter(db, now, { unmergedClickLink: (clickId) => clicks.linkOf(clickId) });
}

/** Submits a request; a store failure becomes 503 with Retry-After so that clients retry with the same key. */
export async function writeConversion(writer: ConversionWriter, request: WriteRequest): Promise<WriteOutcome> {
  try {
    return await writer.submit(request);
  } catch (e) {
    throw new HttpProblem(503, 'store_unavailable', `the conversion was not stored: ${(e as Error).message}; retry with the same Idempotency-Key`, {
      'retry-after': '1',
    });
  }
}
