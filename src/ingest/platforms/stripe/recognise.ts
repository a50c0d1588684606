/** Recognises Stripe files by content: the payments export's CSV columns, or Checkout Session / Event JSON. */
import { csvColumnsOf } from '../csv-header.js';
import type { SourceEntry } from '../types.js';
import { isCheckoutJsonHead } from './checkout-json.js';
import { isPaymentsHeader } from './payments-csv.js';

/** The Stripe file formats clout reads. */
export type StripeFormat = 'payments-csv' | 'checkout-json';

/** Bytes looked at to recognise a JSON file. */
const JSON_HEAD_BYTES = 64 * 1024;

/** Which Stripe format an entry holds, or undefined when it is none of them. */
export async function stripeFormatOf(entry: SourceEntry): Promise<StripeFormat | undefined> {
  const head = (await entry.head(JSON_HEAD_BYTES)).toString('utf8');
  if (isCheckoutJsonHead(head)) return 'checkout-json';
  const columns = await csvColumnsOf(entry);
  return columns !== undefined && isPaymentsHeader(columns) ? 'payments-csv' : undefined;
}
