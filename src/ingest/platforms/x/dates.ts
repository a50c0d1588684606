/** Times in an X archive: X's own date form (`Wed Feb 10 18:00:00 +0000 2021`) and the time inside a tweet id. */

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const WEEKDAYS = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
const X_DATE = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

const MONTH_NUMBERS: Record<string, string> = {
  Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12',
};
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two ASCII digits of `s` at `at` as a number, or -1. */
function two(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48, b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** X's date form `Wed Feb 10 18:00:00 +0000 2021` as an ISO 8601 UTC timestamp, or undefined when it is not one. */
export function parseXDate(text: string): string | undefined {
  // The common case (UTC, as archives write every date) without a regular expression or a Date.
  if (text.length === 30 && text.endsWith(' +0000 ', 26) && text.charCodeAt(3) === 32 && text.charCodeAt(7) === 32 && text.charCodeAt(10) === 32) {
    const month = MONTH_NUMBERS[text.slice(4, 7)];
    const day = two(text, 8), hour = two(text, 11), minute = two(text, 14), second = two(text, 17);
    const hi = two(text, 26), lo = two(text, 28);
    if (month !== undefined && WEEKDAYS.has(text.slice(0, 3)) && day >= 1 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 &&
        second >= 0 && second <= 59 && hi >= 0 && lo >= 0 && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58) {
      const year = hi * 100 + lo;
      const m = +month;
      const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      if (day > (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!)) return undefined;
      return `${text.slice(26, 30)}-${month}-${text.slice(8, 10)}T${text.slice(11, 19)}.000Z`;
    }
  }
  const m = X_DATE.exec(text);
  if (m === null || !WEEKDAYS.has(m[1]!)) return undefined;
  const month = MONTHS[m[2]!];
  if (month === undefined) return undefined;
  const day = +m[3]!, hour = +m[4]!, minute = +m[5]!, second = +m[6]!, year = +m[10]!;
  const oh = +m[8]!, om = +m[9]!;
  if (day < 1 || hour > 23 || minute > 59 || second > 59 || oh > 23 || om > 59) return undefined;
  const local = Date.UTC(year, month, day, hour, minute, second);
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month) return undefined; // Feb 30
  const offset = (m[7] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  return new Date(local - offset).toISOString();
}

/** X's snowflake epoch: ids since 2010-11-04 carry their creation time in ms since this, in the bits above 22. */
export const SNOWFLAKE_EPOCH_MS = 1288834974657;
/** The smallest tweet id that is a snowflake (older ids are sequential and carry no time). */
const FIRST_SNOWFLAKE = 30_000_000_000n;

/** The time a tweet id was made (ISO 8601), or undefined for an id that is not a snowflake. */
export function snowflakeTime(id: string): string | undefined {
  if (!/^\d{1,20}$/.test(id)) return undefined;
  const n = BigInt(id);
  if (n < FIRST_SNOWFLAKE || n >= 1n << 63n) return undefined;
  return new Date(Number(n >> 22n) + SNOWFLAKE_EPOCH_MS).toISOString();
}
