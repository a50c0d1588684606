/**
 * The Stripe Dashboard payments export (Payments → Export, CSV): one row per charge, amounts in major units, the
 * currency in lower case, metadata as `<key> (metadata)` columns. A paid and captured charge becomes a conversion;
 * failed, canceled, uncaptured, fully refunded and test-mode charges are reported.
 */
import { formatTimestamp, parseTimestamp } from '../../../domain/index.js';
import { readCsv } from '../../csv.js';
import type { RawRecord } from '../../types.js';
import { parseAmount } from '../amounts.js';
import { EmittedBatch } from '../batches.js';
import { hasAll, hasAny } from '../csv-header.js';
import { entryByteSource } from '../entries.js';
import type { Emitted, PlatformContext, SourceEntry } from '../types.js';
import { conversionRecord, conversionReject, conversionReported } from '../fields.js';
import { absoluteHttpUrl, mergeUtm, UTM_KEYS, utmFrom, type UtmTags } from '../utm.js';

/** The columns of the creation time, newest export first. */
const CREATED_COLUMNS = ['created date (utc)', 'created (utc)'] as const;

/** True when a CSV header (lower-cased names) is a Stripe payments export's. */
export function isPaymentsHeader(columns: ReadonlySet<string>): boolean {
  return (
    hasAll(columns, ['id', 'amount', 'currency', 'status']) &&
    hasAny(columns, CREATED_COLUMNS) &&
    hasAny(columns, ['amount refunded', 'captured', 'seller message', 'converted amount'])
  );
}

/** Reads a payments export, one emitted item per row. */
export async function* readPaymentsCsv(entry: SourceEntry, ctx: PlatformContext): AsyncGenerator<Emitted[]> {
  const batch = new EmittedBatch();
  for await (const records of readCsv(entryByteSource(entry), () => undefined)) {
    for (const record of records) {
      batch.push(paymentItem(record, entry.path, ctx));
      if (batch.full) yield batch.take();
    }
  }
  if (!batch.empty) yield batch.take();
}

/** What one row of the export becomes: a conversion, a reported payment, or a reject. */
export function paymentItem(record: RawRecord, file: string, ctx: PlatformContext): Emitted {
  const raw = record.raw;
  const origin = { file, line: record.line };
  if (record.fields === undefined) {
    return conversionReject(origin, record.problem?.field ?? '', record.problem?.reason ?? 'unreadable row', raw);
  }
  const f = record.fields as Record<string, string>;
  const id = f['id']?.trim();
  if (!id) return conversionReject(origin, 'id', 'is required', raw);
  const at = { ...origin, record: id };
  const reject = (field: string, reason: string): Emitted => conversionReject(at, field, reason, raw);
  const reported = (reason: string): Emitted => conversionReported(at, reason);

  const createdColumn = CREATED_COLUMNS.find((c) => f[c] !== undefined) ?? CREATED_COLUMNS[0];
  const createdText = f[createdColumn];
  if (createdText === undefined) return reject(createdColumn, 'is required');
  const created = parseTimestamp(createdText); // no zone in the export: read as UTC, as the column says
  if (created === undefined) return reject(createdColumn, `not a date and time: ${JSON.stringify(createdText)}`);
  if (f['amount'] === undefined) return reject('amount', 'is required');
  const amount = parseAmount(f['amount']);
  if (amount === undefined) return reject('amount', `not an amount: ${JSON.stringify(f['amount'])}`);
  const refundedText = f['amount refunded'];
  const refunded = refundedText === undefined ? 0 : parseAmount(refundedText);
  if (refunded === undefined) return reject('amount refunded', `not an amount: ${JSON.stringify(refundedText)}`);

  if ((f['mode'] ?? '').trim().toLowerCase() === 'test') return reported('test mode payment');
  const status = (f['status'] ?? '').trim().toLowerCase();
  switch (status) {
    case 'failed':
      return reported('failed payment');
    case 'blocked':
      return reported('blocked payment');
    case 'canceled':
    case 'cancelled':
      return reported('canceled payment');
    case 'uncaptured':
      return reported('uncaptured payment');
    case 'pending':
      return reported('pending payment');
    case 'refunded':
      return reported('refunded in full');
    case 'paid':
    case 'succeeded':
    case 'partially refunded':
      break;
    default:
      return reject('status', status === '' ? 'is required' : `unknown payment status: ${JSON.stringify(f['status'])}`);
  }
  if ((f['captured'] ?? '').trim().toLowerCase() === 'false') return reported('uncaptured payment');
  if (refunded > 0 && refunded >= amount) return reported('refunded in full');

  const partial = refunded > 0;
  const fields: Record<string, unknown> = {
    id,
    at: formatTimestamp(created),
    type: ctx.conversionType,
    value: amount,
    currency: f['currency']?.trim().toUpperCase(),
    customer_id: f['customer id'] ?? f['customer email'],
    click_id: metadata(f, 'client_reference_id') ?? metadata(f, 'click_id'),
    code: metadata(f, 'code') ?? metadata(f, 'coupon') ?? metadata(f, 'promo_code'),
    ...metadataUtm(f),
    landing_url: absoluteHttpUrl(metadata(f, 'landing_url')),
    refunded_value: partial ? refunded : undefined,
    status: partial ? 'partially_refunded' : 'paid',
  };
  return conversionRecord(fields, at, raw);
}

/** The value of the metadata column `<key> (metadata)`, trimmed, when present. */
function metadata(f: Record<string, string>, key: string): string | undefined {
  const v = f[`${key} (metadata)`]?.trim();
  return v ? v : undefined;
}

/** UTM tags from `utm_* (metadata)` columns, completed from a `landing_url (metadata)` column. */
function metadataUtm(f: Record<string, string>): UtmTags {
  const own: UtmTags = {};
  for (const key of UTM_KEYS) {
    const v = metadata(f, key);
    if (v !== undefined) own[key] = v;
  }
  return mergeUtm(own, utmFrom(metadata(f, 'landing_url')));
}
