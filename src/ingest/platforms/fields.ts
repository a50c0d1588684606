/** Small helpers for building interchange records from export fields. */

/** The fields without the ones left undefined. */
export function withoutAbsent(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
