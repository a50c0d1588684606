/**
 * One order of a Shopify orders export as a conversion (id = the order Name, `#1001`): paid, partially paid and
 * partially refunded orders are conversions; pending, authorized, expired, voided and fully refunded orders are
 * reported.
 */
import { formatTimestamp, parseTimestamp } from '../../../domain/index.js';
import { parseAmount } from '../amounts.js';
import { conversionRecord, conversionReject, conversionReported } from '../fields.js';
import type { Emitted, Origin, PlatformContext } from '../types.js';
import { absoluteHttpUrl, mergeUtm, utmFrom } from '../utm.js';
import type { OrderUnit } from './order-blocks.js';

/** Columns that may hold the page the customer landed on, and the site that referred them (apps and API exports). */
const LANDING_COLUMNS = ['landing site', 'landing_site', 'landing page', 'landing page url'] as const;
const REFERRING_COLUMNS = ['referring site', 'referring_site', 'referrer', 'referrer url'] as const;

/** What one unit of the export becomes. */
export function orderItem(unit: OrderUnit, file: string, ctx: PlatformContext): Emitted {
  if (unit.type === 'unreadable') {
    const { record } = unit;
    const origin: Origin = { file, line: record.line };
    if (record.problem !== undefined) return conversionReject(origin, record.problem.field, record.problem.reason, record.raw);
    return conversionReject(origin, 'name', 'is required (the order a row belongs to)', record.raw);
  }
  const origin: Origin = { file, line: unit.first.line, record: unit.name };
  const raw = unit.first.raw;
  const reject = (field: string, reason: string): Emitted => conversionReject(origin, field, reason, raw);
  if (unit.type === 'orphan') {
    return reject('name', `line items of order ${unit.name} without its order row (Financial Status and Total are empty)`);
  }
  if (unit.type === 'repeat') {
    const where = `first at line ${unit.seenAt}`;
    return reject('name', `order ${unit.name} appears again after other orders (${where}); its rows must be contiguous`);
  }
  const f = (unit.first.fields ?? {}) as Record<string, string>;
  const reported = (reason: string): Emitted => conversionReported(origin, reason);

  const createdText = f['created at'];
  if (createdText === undefined) return reject('created at', 'is required');
  const created = parseTimestamp(createdText);
  if (created === undefined) return reject('created at', `not a date and time: ${JSON.stringify(createdText)}`);
  const statusText = f['financial status'];
  const status = (statusText ?? '').trim().toLowerCase().replace(/\s+/g, '_');
  switch (status) {
    case 'pending':
      return reported('pending order');
    case 'authorized':
      return reported('authorized order');
    case 'expired':
      return reported('expired authorization');
    case 'voided':
      return reported('voided order');
    case 'refunded':
      return reported('refunded in full');
    case 'paid':
    case 'partially_paid':
    case 'partially_refunded':
      break;
    default:
      const reason = status === '' ? 'is required' : `unknown financial status: ${JSON.stringify(statusText)}`;
      return reject('financial status', reason);
  }
  if (f['total'] === undefined) return reject('total', 'is required');
  const total = parseAmount(f['total']);
  if (total === undefined) return reject('total', `not an amount: ${JSON.stringify(f['total'])}`);
  let refunded: number | undefined;
  if (status === 'partially_refunded' && f['refunded amount'] !== undefined) {
    refunded = parseAmount(f['refunded amount']);
    if (refunded === undefined) return reject('refunded amount', `not an amount: ${JSON.stringify(f['refunded amount'])}`);
    if (refunded >= total) return reported('refunded in full');
    if (refunded === 0) refunded = undefined;
  }

  const landing = firstOf(f, LANDING_COLUMNS);
  const fields: Record<string, unknown> = {
    id: unit.name,
    at: formatTimestamp(created),
    type: ctx.conversionType,
    value: total,
    currency: f['currency']?.trim().toUpperCase(),
    customer_id: f['email']?.trim(),
    code: f['discount code']?.trim() || undefined,
    ...mergeUtm(utmFrom(landing), utmFrom(firstOf(f, REFERRING_COLUMNS))),
    landing_url: absoluteHttpUrl(landing),
    refunded_value: refunded,
    status,
  };
  return conversionRecord(fields, origin, raw);
}

/** The first of `columns` with a value. */
function firstOf(f: Record<string, string>, columns: readonly string[]): string | undefined {
  for (const c of columns) if (f[c] !== undefined) return f[c];
  return undefined;
}
