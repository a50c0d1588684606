/**
 * Stripe JSON files of Checkout Sessions or Events, as the API lists them: an array, a list object
 * `{object: "list", data: [...]}`, a single object, or one object per line. Sessions map as in checkout-session.ts;
 * the events `checkout.session.completed`, `…async_payment_succeeded` and `…expired` map their session (so a paid
 * one becomes the session's conversion, an expired one is reported), `…async_payment_failed` is reported as a failed
 * payment, and any other event type is reported as not imported. Arrays and list objects are streamed.
 */
import { openJsonArrayAt } from '../../json-array-at.js';
import { EmittedBatch } from '../batches.js';
import { conversionReject, conversionReported } from '../fields.js';
import type { Emitted, Origin, PlatformContext, SourceEntry } from '../types.js';
import { isJsonObject, sessionItem, type JsonObject } from './checkout-session.js';

/** The event types whose session is read (its status says what it becomes: a conversion, or reported). */
export const SESSION_EVENTS: ReadonlySet<string> = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.expired',
]);

/** The event of a session whose delayed payment failed (reported as a failed payment). */
const ASYNC_PAYMENT_FAILED = 'checkout.session.async_payment_failed';

/** True when the first bytes of a file look like Stripe Checkout Session or Event JSON. */
export function isCheckoutJsonHead(head: string): boolean {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('[') && !text.startsWith('{')) return false;
  if (/"object"\s*:\s*"checkout\.session"/.test(text)) return true;
  return /"object"\s*:\s*"event"/.test(text) && /"id"\s*:\s*"evt_/.test(text);
}

/**
 * Reads a Checkout Sessions or Events JSON file, one emitted item per object. An array or a list object is streamed
 * element by element (memory flat in file size; a broken element is rejected and the next one still read); a single
 * object or one object per line is read whole.
 */
export async function* readCheckoutJson(entry: SourceEntry, ctx: PlatformContext): AsyncGenerator<Emitted[]> {
  const batch = new EmittedBatch();
  const opened = await openJsonArrayAt(entry.open(), 'data');
  if (opened.ok) {
    for await (const items of opened.items) {
      for (const item of items) {
        const origin: Origin = { file: entry.path, line: item.index + 1 };
        batch.push(item.problem === undefined ? stripeObjectItem(item.value, origin, ctx) : conversionReject(origin, '', item.problem, item.text.slice(0, 200)));
        if (batch.full) yield batch.take();
      }
    }
    if (!batch.empty) yield batch.take();
    return;
  }
  const parts: Buffer[] = [];
  for await (const chunk of entry.open()) parts.push(chunk);
  const text = Buffer.concat(parts).toString('utf8').replace(/^\uFEFF/, '');
  for (const { value, line, problem } of jsonRecords(text)) {
    const origin: Origin = { file: entry.path, line };
    batch.push(
      problem === undefined
        ? stripeObjectItem(value, origin, ctx)
        : conversionReject(origin, '', problem.reason, problem.text),
    );
    if (batch.full) yield batch.take();
  }
  if (!batch.empty) yield batch.take();
}

/** One record of a JSON file: its value (or why it has none, with its text) and its 1-based index or line. */
interface JsonRecord {
  value: unknown;
  line: number;
  problem?: { reason: string; text: string };
}

/** The records of a JSON file: the elements of an array or list object, a single object, or the lines of NDJSON. */
function* jsonRecords(text: string): Generator<JsonRecord> {
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch (e) {
    if (text.trimStart().startsWith('[')) {
      const reason = `not valid JSON: ${(e as Error).message}`;
      yield { value: undefined, line: 1, problem: { reason, text: text.slice(0, 200) } };
      return;
    }
    yield* ndjsonRecords(text);
    return;
  }
  const list = Array.isArray(whole) ? whole : isJsonObject(whole) && whole['object'] === 'list' ? whole['data'] : [whole];
  if (!Array.isArray(list)) {
    yield { value: undefined, line: 1, problem: { reason: 'a list object needs a data array', text: text.slice(0, 200) } };
    return;
  }
  for (let i = 0; i < list.length; i++) yield { value: list[i], line: i + 1 };
}

/** One JSON object per line; a line that does not parse is a record with the reason. */
function* ndjsonRecords(text: string): Generator<JsonRecord> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    try {
      yield { value: JSON.parse(line) as unknown, line: i + 1 };
    } catch (e) {
      yield { value: undefined, line: i + 1, problem: { reason: `not valid JSON: ${(e as Error).message}`, text: line } };
    }
  }
}

/** What one Stripe object becomes: a session's conversion or report, an event's, or a reject. */
export function stripeObjectItem(value: unknown, origin: Origin, ctx: PlatformContext): Emitted {
  if (!isJsonObject(value)) return conversionReject(origin, '', 'expected a Stripe object', value);
  if (value['object'] === 'checkout.session') return sessionItem(value, origin, ctx);
  if (value['object'] === 'event') return eventItem(value, origin, ctx);
  const object = JSON.stringify(value['object'] ?? null);
  return conversionReject(origin, 'object', `not a Checkout Session or an Event: ${object}`, value);
}

/** What one Event becomes: its session's item for the session events, else reported by type. */
function eventItem(event: JsonObject, origin: Origin, ctx: PlatformContext): Emitted {
  const type = event['type'];
  const at: Origin = typeof event['id'] === 'string' ? { ...origin, record: event['id'] } : origin;
  if (typeof type !== 'string' || type === '') return conversionReject(at, 'type', 'an Event needs its type', event);
  if (type === ASYNC_PAYMENT_FAILED) return conversionReported(at, 'failed payment');
  if (!SESSION_EVENTS.has(type)) return conversionReported(at, `event not imported: ${type}`);
  const data = event['data'];
  const session = isJsonObject(data) ? data['object'] : undefined;
  if (!isJsonObject(session) || session['object'] !== 'checkout.session') {
    return conversionReject(at, 'data.object', `a ${type} event needs a Checkout Session in data.object`, event);
  }
  return sessionItem(session, origin, ctx, event);
}
