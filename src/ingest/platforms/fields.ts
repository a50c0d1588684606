/** Small helpers for building interchange records from export fields. */
import type { Emitted, Origin } from './types.js';

/** The fields without the ones left undefined. */
export function withoutAbsent(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** A source record that cannot become a conversion: rejected with the field and the reason. */
export function conversionReject(origin: Origin, field: string, reason: string, raw: unknown): Emitted {
  return { type: 'reject', kind: 'conversions', origin, field, reason, raw };
}

/** A source record read on purpose and not imported as a conversion, counted by reason. */
export function conversionReported(origin: Origin, reason: string): Emitted {
  return { type: 'reported', kind: 'conversions', origin, reason };
}

/** An interchange conversion built from a source record. */
export function conversionRecord(fields: Record<string, unknown>, origin: Origin, raw: unknown): Emitted {
  return { type: 'record', kind: 'conversions', fields: withoutAbsent(fields), origin, raw };
}
