/**
 * Timestamps of the interchange format: ISO 8601 with `Z` or an offset, or a date `YYYY-MM-DD` (UTC midnight).
 * A timestamp without a zone is read as UTC. Inside clout every time is UTC epoch milliseconds.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Parses an interchange timestamp to epoch ms, or returns undefined when it is not a valid one. */
export function parseTimestamp(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const year = +m[1]!, month = +m[2]!, day = +m[3]!;
  const hour = m[4] === undefined ? 0 : +m[4];
  const minute = m[5] === undefined ? 0 : +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  const millis = m[7] === undefined ? 0 : Math.floor(+(m[7] + '000').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const base = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(base);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined; // e.g. 2026-02-30
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2);
    const om = digits.length > 2 ? +digits.slice(2, 4) : 0;
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return base - offsetMinutes * 60_000;
}

/** Formats epoch ms as an ISO 8601 UTC timestamp (`2026-01-02T03:04:05.000Z`). */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** Formats epoch ms as a UTC date `YYYY-MM-DD`. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
