/** Money inside clout: integer minor units plus an ISO 4217 currency code. */

/** Currencies whose minor unit is not 1/100 (ISO 4217 exponents); every other code uses 2. */
const EXPONENT: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Number of decimals of a currency's minor unit (2 unless ISO 4217 says otherwise). */
export function currencyExponent(currency: string): number {
  return EXPONENT[currency] ?? 2;
}

/**
 * The ISO 4217 codes clout accepts: the ones the runtime's ICU knows (`Intl.supportedValuesOf`, the same 162 codes on
 * Node 20 and 24), plus current codes an ICU may lag behind on (VED, 2021).
 */
const ISO_CURRENCIES: ReadonlySet<string> = new Set([...Intl.supportedValuesOf('currency'), 'VED']);

/** True when `code` is an ISO 4217 currency code (upper case, as stored). */
export function isIsoCurrency(code: string): boolean {
  return ISO_CURRENCIES.has(code);
}

/**
 * Converts a decimal amount to integer minor units. Returns undefined when the amount has more decimals than
 * the currency allows (after removing float noise), so the caller can reject rather than silently round.
 */
export function toMinorUnits(value: number, currency: string): number | undefined {
  const scale = 10 ** currencyExponent(currency);
  const scaled = value * scale;
  const rounded = Math.round(scaled);
  if (Math.abs(scaled - rounded) > 1e-6 * Math.max(1, Math.abs(scaled))) return undefined;
  return rounded;
}

/** Converts integer minor units back to a decimal amount. */
export function fromMinorUnits(minor: number, currency: string): number {
  return minor / 10 ** currencyExponent(currency);
}
