/**
 * Book sales. (a) Caused: each book post p yields Poisson(β_p) sales spread over an exponential response kernel
 * truncated at the horizon; a share `viaClick` of them comes through a (new) click on that post's link and carries
 * its click id, the rest arrive with no click. (b) Baseline: each day's realized baseline sales at uniform times; a
 * share `clickFirst` of those buyers first click a book link chosen ∝ its click intensity at that moment, and their
 * sale carries that click id — coincidental last-click credit, largest for big accounts. With discount codes
 * (`sales.codeShare`, `sales.couponShare` > 0) every author owns a code: a share of the caused sales that would have
 * come through a click carry the author's code instead, and a share of the other baseline buyers use a code from a
 * coupon site, an author's chosen ∝ followers — coincidental code credit, again largest for big accounts.
 */
import { AliasTable, type Rng } from '../domain/index.js';
import { accountId, type Accounts } from './accounts.js';
import type { ClickWriter } from './clicks.js';
import type { Baseline } from './metrics.js';
import type { WorldParams } from './params.js';
import { linkId, TOPIC, type Posts } from './posts.js';
import { hex } from './text.js';
import { iso, type Table } from './writers.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../domain/index.js';

const MS_MIN = 60_000;

/** Writes conversion rows with sequential ids. */
export class ConversionRecorder {
  next = 0;
  full = false;

  constructor(private readonly table: Table) {}

  /** Writes one conversion; `click`, `link`, `code` and `post` may be '' (none); value is a decimal string ('' = none). */
  write(type: string, t: number, value: string, currency: string, customer: string, click: string, link: string, campaign: string, code = '', post = ''): void {
    const c = this.table.cells;
    c[0] = 'o' + this.next++;
    c[1] = iso(t);
    c[2] = type;
    c[3] = value;
    c[4] = currency;
    c[5] = customer;
    c[6] = click;
    c[7] = link;
    c[8] = post;
    c[9] = campaign;
    c[10] = code;
    this.full = this.table.end();
  }

  /** Flushes the conversions file. */
  async flush(): Promise<void> {
    this.full = false;
    await this.table.flush();
  }
}

/** Daily counts of sale events written, split into caused and baseline, and how many carried a click. */
export interface SalesLedger {
  salesPerDay: Int32Array;
  causedPerDay: Int32Array;
  causedTotal: number;
  causedViaClick: number;
  baselineTotal: number;
  baselineViaClick: number;
  /** Caused sales that carry the author's code instead of a click, baseline sales with a coupon site's code. */
  causedViaCode: number;
  baselineViaCode: number;
}

/** The discount code of author account `i`. */
export function codeOf(i: number): string {
  return 'READ' + i;
}

/** Writes one code per author (owned by the author's account, no window) and flushes the codes file. */
export async function writeCodes(acc: Accounts, table: Table): Promise<void> {
  for (const i of acc.authors) {
    const c = table.cells;
    c[0] = codeOf(i);
    c[1] = accountId(i);
    if (table.end()) await table.flush();
  }
  await table.flush();
}

/** Writes caused and baseline sales (and the clicks that lead to them); fills posts.caused. */
export async function writeSales(
  p: WorldParams,
  accounts: Accounts,
  posts: Posts,
  base: Baseline,
  humanClicks: Int32Array,
  rng: Rng,
  clicks: ClickWriter,
  conv: ConversionRecorder,
  startMs: number,
): Promise<SalesLedger> {
  const s = p.sales;
  const price = s.price.toFixed(2);
  const kernelRate = 1 / (s.kernelMeanDays * MS_PER_DAY);
  const horizon = s.horizonDays * MS_PER_DAY;
  const led: SalesLedger = {
    salesPerDay: new Int32Array(p.days),
    causedPerDay: new Int32Array(p.days),
    causedTotal: 0,
    causedViaClick: 0,
    baselineTotal: 0,
    baselineViaClick: 0,
    causedViaCode: 0,
    baselineViaCode: 0,
  };
  // coupon sites list authors' codes ∝ followers
  const coupons = s.couponShare > 0 ? new AliasTable(Array.from(accounts.authors, (i) => accounts.followers[i]!)) : undefined;

  // (a) Caused sales, post by post.
  for (let i = 0; i < posts.n; i++) {
    if (posts.topic[i] !== TOPIC.book) continue;
    const n = rng.poisson(posts.lift[i]!);
    posts.caused[i] = n;
    const t0 = posts.time[i]!;
    const k = posts.link[i]!;
    for (let j = 0; j < n; j++) {
      let delay: number;
      do delay = rng.exponential(kernelRate);
      while (delay >= horizon);
      const t = t0 + 60_000 + delay;
      const d = Math.floor((t - startMs) / MS_PER_DAY);
      led.salesPerDay[d]!++;
      led.causedPerDay[d]!++;
      led.causedTotal++;
      const customer = 'cu' + hex(rng, 2);
      const viaClick = rng.uniform() < s.viaClick;
      if (viaClick && s.codeShare > 0 && rng.uniform() < s.codeShare) {
        conv.write('sale', t, price, s.currency, customer, '', '', '', codeOf(posts.author[i]!));
        led.causedViaCode++;
      } else if (viaClick) {
        const tc = Math.max(t0 + 5000, t - MS_MIN * (1 + 19 * rng.uniform()));
        const click = clicks.human1(k, tc, 'v' + hex(rng, 2));
        conv.write('sale', t, price, s.currency, customer, click, linkId(k), '');
        led.causedViaClick++;
      } else {
        conv.write('sale', t, price, s.currency, customer, '', '', '');
      }
      if (clicks.full) await clicks.flush();
      if (conv.full) await conv.flush();
    }
  }

  // (b) Baseline sales, day by day. A click-first buyer at time t picks a book link l posted before t with
  // probability ∝ its click intensity at t, n_l·exp(−(t − t_l)/τ) (n_l organic human clicks, τ the click delay):
  // the factor exp(−t/τ) is common to all links, so weights w_l = n_l·exp((t_l − dayStart)/τ) and a prefix sum
  // over the links posted before t give an exact draw. Links older than `lookbackDays` are ignored (weight < e^-18).
  const tau = p.clicks.delayHours * MS_PER_HOUR;
  const lookback = p.baseline.lookbackDays * MS_PER_DAY;
  const book: number[] = [];
  for (let k = 0; k < posts.links; k++) if (posts.topic[posts.linkPost[k]!] === TOPIC.book && humanClicks[k]! > 0) book.push(k);
  const bookTime = Float64Array.from(book, (k) => posts.time[posts.linkPost[k]!]!);
  let lo = 0;
  for (let d = 0; d < p.days; d++) {
    const dayStart = startMs + d * MS_PER_DAY;
    while (lo < book.length && bookTime[lo]! < dayStart - lookback) lo++;
    let hi = lo;
    while (hi < book.length && bookTime[hi]! < dayStart + MS_PER_DAY) hi++;
    const cum = new Float64Array(hi - lo);
    let acc = 0;
    for (let j = lo; j < hi; j++) cum[j - lo] = acc += humanClicks[book[j]!]! * Math.exp((bookTime[j]! - dayStart) / tau);
    const n = base.realized[d]!;
    for (let j = 0; j < n; j++) {
      const t = dayStart + Math.floor(rng.uniform() * MS_PER_DAY);
      led.salesPerDay[d]!++;
      led.baselineTotal++;
      const customer = 'cu' + hex(rng, 2);
      let click = '', link = '';
      if (rng.uniform() < p.baseline.clickFirst) {
        // The click precedes the purchase by 1–30 min and follows the post by at least a minute.
        const tc = t - MS_MIN * (1 + 29 * rng.uniform());
        const m = upperBound(bookTime, lo, hi, tc - MS_MIN) - lo;
        if (m > 0) {
          const q = lowerBoundAbove(cum, m, rng.uniform() * cum[m - 1]!);
          const k = book[lo + q]!;
          click = clicks.human1(k, tc, 'v' + hex(rng, 2));
          link = linkId(k);
          led.baselineViaClick++;
        }
      }
      let code = '';
      if (click === '' && coupons !== undefined && rng.uniform() < s.couponShare) {
        code = codeOf(accounts.authors[coupons.sample(rng)]!);
        led.baselineViaCode++;
      }
      conv.write('sale', t, price, s.currency, customer, click, link, '', code);
      if (clicks.full) await clicks.flush();
      if (conv.full) await conv.flush();
    }
  }
  return led;
}

/** First index in [lo, hi) whose value is > x (hi when none). */
function upperBound(a: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [0, m) whose cumulative weight is > x (m − 1 at most). */
function lowerBoundAbove(cum: Float64Array, m: number, x: number): number {
  let lo = 0, hi = m - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
