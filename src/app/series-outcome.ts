/**
 * A metric series as the outcome of the outcome-influence model (`clout influence --series NAME`): its values become
 * the outcome counts of the model's bins — one bin per point (daily series: day bins, hourly series: hour bins) — so
 * a seller with only daily totals (units sold, donations received per day) can still ask who moved them.
 */
import { CloutError, MS_PER_DAY } from '../domain/index.js';
import { metricPoints, metricSeriesList, type Conn } from '../store/index.js';

/** Outcome counts per bin read from a metric series. */
export interface SeriesOutcome {
  series: string;
  binMs: number;
  startMs: number;
  nBins: number;
  counts: Float64Array;
  total: number;
}

/** Gaps listed in a message, at most. */
const SHOWN = 3;

/**
 * Reads a metric series as outcome counts: the bin is the series' step (a day for daily series, else the smallest gap
 * between points), every bin from the first point to the last must have a value, and values must be whole numbers
 * ≥ 0 (counts: units, donations, sign-ups). Anything else is an `input` error that says what is wrong and what would do.
 */
export async function loadSeriesOutcome(conn: Conn, name: string): Promise<SeriesOutcome> {
  const list = await metricSeriesList(conn);
  const info = list.find((s) => s.series === name);
  if (info === undefined) {
    const known = list.map((s) => s.series);
    throw new CloutError('usage', `no metric series '${name}' in the store; series: ${known.join(', ') || '(none — import a metrics file, docs/formats.md)'}`);
  }
  if (info.min_step !== null && info.min_step > MS_PER_DAY) {
    throw new CloutError('input', `series '${name}' has its points at least ${formatDays(info.min_step)} apart; the outcome model reads counts per day (or finer) — a weekly or monthly series cannot tell one post's effect from the next`);
  }
  const binMs = info.min_step === null || info.min_step >= MS_PER_DAY ? MS_PER_DAY : info.min_step;
  // daily series: bins are UTC days; finer series: bins start at the first point
  const startMs = binMs === MS_PER_DAY ? Math.floor(info.first_at / MS_PER_DAY) * MS_PER_DAY : info.first_at;
  const nBins = Math.floor((info.last_at - startMs) / binMs) + 1;
  const counts = new Float64Array(nBins).fill(NaN);
  let total = 0;
  for (const p of await metricPoints(conn, name)) {
    const b = Math.floor((p.at - startMs) / binMs);
    if (!(p.value >= 0) || !Number.isInteger(p.value)) {
      throw new CloutError('input', `series '${name}' has the value ${p.value} on ${iso(p.at)}; an outcome series holds counts (whole numbers ≥ 0: units sold, donations received), not amounts`);
    }
    if (!Number.isNaN(counts[b]!)) {
      throw new CloutError('input', `series '${name}' has two values in the ${describeBin(binMs)} starting ${iso(startMs + b * binMs)}; an outcome series has one value per ${describeBin(binMs)}`);
    }
    counts[b] = p.value;
    total += p.value;
  }
  const missing: number[] = [];
  counts.forEach((c, b) => Number.isNaN(c) && missing.push(b));
  if (missing.length > 0) {
    const shown = missing.slice(0, SHOWN).map((b) => iso(startMs + b * binMs)).join(', ');
    throw new CloutError(
      'input',
      `series '${name}' has no value for ${missing.length} ${describeBin(binMs)}${missing.length === 1 ? '' : 's'} between its first and last point ` +
        `(${shown}${missing.length > SHOWN ? ', …' : ''}); write 0 where nothing happened — a gap is not read as zero`,
    );
  }
  if (total === 0) throw new CloutError('input', `series '${name}' is 0 everywhere, so the outcome model has nothing to fit`);
  return { series: name, binMs, startMs, nBins, counts, total };
}

/** The names of the store's metric series (for messages that suggest one). */
export async function metricSeriesNames(conn: Conn): Promise<string[]> {
  return (await metricSeriesList(conn)).map((s) => s.series);
}

function formatDays(ms: number): string {
  const days = ms / MS_PER_DAY;
  return Number.isInteger(days) ? `${days} days` : `${days.toFixed(1)} days`;
}

function describeBin(binMs: number): string {
  return binMs === MS_PER_DAY ? 'day' : binMs === 3_600_000 ? 'hour' : binMs % 3_600_000 === 0 ? `${binMs / 3_600_000}-hour bin` : `${binMs / 60_000}-minute bin`;
}

function iso(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.endsWith('T00:00:00.000Z') ? s.slice(0, 10) : s.replace('.000Z', 'Z');
}
