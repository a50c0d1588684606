/**
 * The Stripe importer: the Dashboard payments export (CSV) and Checkout Sessions or Events as JSON (API lists, CLI
 * output), each paid payment or session one conversion. See docs/importers/stripe.md.
 */
import type { Emitted, PlatformContext, PlatformImporter, SourceEntry } from '../types.js';
import { readCheckoutJson } from './checkout-json.js';
import { readPaymentsCsv } from './payments-csv.js';
import { stripeFormatOf } from './recognise.js';

/** Reads Stripe payments exports and Checkout Session / Event JSON into conversions. */
export const stripeImporter: PlatformImporter = {
  id: 'stripe',
  label: 'Stripe export',
  async claim(entries: readonly SourceEntry[]): Promise<SourceEntry[]> {
    const claimed: SourceEntry[] = [];
    for (const entry of entries) if ((await stripeFormatOf(entry)) !== undefined) claimed.push(entry);
    return claimed;
  },
  async *read(entries: readonly SourceEntry[], ctx: PlatformContext): AsyncGenerator<Emitted[]> {
    for (const entry of entries) {
      const format = await stripeFormatOf(entry);
      if (format === 'payments-csv') yield* readPaymentsCsv(entry, ctx);
      else if (format === 'checkout-json') yield* readCheckoutJson(entry, ctx);
    }
  },
};
