/**
 * The three-panel chart of CausalImpact's `plot(impact)` as a standalone SVG: the original series with the
 * counterfactual prediction and its band, the point-wise effect and the cumulative effect, each with its interval,
 * dashed lines at the period boundaries, and the pre-period's backtested stretch shaded in the first panel with its
 * coverage. It reads `result.series` and `result.calibration` and computes only layout (scales, ticks).
 */
import { CloutError } from '../../domain/index.js';
import type { ImpactResult, ImpactSeriesRow } from './types.js';

/** Size and title of the chart. */
export interface PlotOptions {
  width?: number;
  height?: number;
  title?: string;
}

type Key = keyof ImpactSeriesRow;
interface Panel {
  name: string;
  line: Key | null;
  mean: Key;
  lower: Key;
  upper: Key;
  baseline: boolean;
}

const PANELS: Panel[] = [
  { name: 'original', line: 'response', mean: 'point_pred', lower: 'point_pred_lower', upper: 'point_pred_upper', baseline: false },
  { name: 'pointwise', line: null, mean: 'point_effect', lower: 'point_effect_lower', upper: 'point_effect_upper', baseline: true },
  { name: 'cumulative', line: null, mean: 'cum_effect', lower: 'cum_effect_lower', upper: 'cum_effect_upper', baseline: true },
];

const f = (x: number): string => (Math.round(x * 100) / 100).toString();
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Round tick values covering [lo, hi] (about `count` of them). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return ticks;
}

function value(row: ImpactSeriesRow, key: Key): number | null {
  const v = row[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Path of a line broken wherever the value is missing. */
function linePath(rows: ImpactSeriesRow[], key: Key, x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  rows.forEach((row, i) => {
    const v = value(row, key);
    if (v === null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${f(x(i))},${f(y(v))}`;
    pen = true;
  });
  return d;
}

/** Polygons of the band between lower and upper over each run of rows where both exist. */
function bandPath(rows: ImpactSeriesRow[], lo: Key, hi: Key, x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let run: number[] = [];
  const flush = () => {
    if (run.length > 0) {
      const top = run.map((i, k) => `${k === 0 ? 'M' : 'L'}${f(x(i))},${f(y(value(rows[i]!, hi)!))}`).join('');
      const bottom = [...run].reverse().map((i) => `L${f(x(i))},${f(y(value(rows[i]!, lo)!))}`).join('');
      d += `${top}${bottom}Z`;
    }
    run = [];
  };
  rows.forEach((row, i) => {
    if (value(row, lo) !== null && value(row, hi) !== null) run.push(i);
    else flush();
  });
  flush();
  return d;
}

/** The shaded stretch's label: the backtest's coverage against its nominal level. */
function backtestLabel(result: ImpactResult): string {
  const c = result.calibration!;
  return `backtests: ${c.coverage === null ? '–' : Math.round(c.coverage * 100)}% inside ${Math.round(c.nominal * 100)}% intervals`;
}

/** Renders the result as an SVG document; throws when inference was aborted (there is nothing to draw). */
export function renderImpactSvg(result: ImpactResult, options: PlotOptions = {}): string {
  if (!result.ok) throw new CloutError('input', 'impact: inference was aborted; there is no chart to draw');
  const W = options.width ?? 800;
  const H = options.height ?? 640;
  const rows = result.series;
  const left = 72, right = 16, top = options.title ? 34 : 14, bottom = 36, gap = 26;
  const ph = (H - top - bottom - gap * (PANELS.length - 1)) / PANELS.length;
  const n = rows.length;
  const x = (i: number): number => left + (n > 1 ? (i / (n - 1)) * (W - left - right) : (W - left - right) / 2);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  if (options.title) out.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(options.title)}</text>`);

  const markers = new Set<number>();
  if (result.pre.start > 0) markers.add(result.pre.start);
  markers.add(result.pre.end);
  if (result.post.start > result.pre.end + 1) markers.add(result.post.start);
  if (result.post.end < n - 1) markers.add(result.post.end);

  const windows = result.calibration?.backtests ?? [];
  const backtested: [number, number] | null =
    windows.length > 0 ? [Math.min(...windows.map((w) => w.start)), Math.max(...windows.map((w) => w.end))] : null;

  PANELS.forEach((panel, k) => {
    const y0 = top + k * (ph + gap);
    let lo = Infinity, hi = -Infinity;
    for (const row of rows) {
      for (const key of [panel.line, panel.mean, panel.lower, panel.upper]) {
        if (key === null) continue;
        const v = value(row, key);
        if (v !== null) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (panel.baseline) {
      lo = Math.min(lo, 0);
      hi = Math.max(hi, 0);
    }
    if (!Number.isFinite(lo)) {
      lo = 0;
      hi = 1;
    }
    if (hi === lo) {
      hi += 1;
      lo -= 1;
    }
    const pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
    const y = (v: number): number => y0 + ph - ((v - lo) / (hi - lo)) * ph;
    out.push(`<g class="panel ${panel.name}">`);
    out.push(`<rect x="${left}" y="${f(y0)}" width="${W - left - right}" height="${f(ph)}" fill="#fafafa" stroke="#ccc"/>`);
    out.push(`<text x="${W - right - 4}" y="${f(y0 + 13)}" text-anchor="end" fill="#555">${panel.name}</text>`);
    for (const t of niceTicks(lo, hi, 4)) {
      out.push(`<line x1="${left - 4}" x2="${left}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="#888"/>`);
      out.push(`<text x="${left - 6}" y="${f(y(t) + 4)}" text-anchor="end">${esc(String(t))}</text>`);
    }
    if (k === 0 && backtested) {
      // the pre-period's backtested stretch (first origin to the last window's end): forecasts scored against data
      const [a, b] = backtested;
      out.push(`<rect class="backtest" x="${f(x(a))}" y="${f(y0)}" width="${f(Math.max(1, x(b) - x(a)))}" height="${f(ph)}" fill="#f3e6c4" opacity="0.7"/>`);
      out.push(`<text class="backtest-label" x="${f(x(a) + 4)}" y="${f(y0 + 13)}" fill="#7a5c12">${esc(backtestLabel(result))}</text>`);
    }
    out.push(`<path class="band" d="${bandPath(rows, panel.lower, panel.upper, x, y)}" fill="#b9d3ee" stroke="none"/>`);
    for (const m of markers) {
      out.push(`<line class="marker" x1="${f(x(m))}" x2="${f(x(m))}" y1="${f(y0)}" y2="${f(y0 + ph)}" stroke="#999" stroke-dasharray="5,4" stroke-width="1.2"/>`);
    }
    if (panel.baseline) out.push(`<line class="baseline" x1="${left}" x2="${W - right}" y1="${f(y(0))}" y2="${f(y(0))}" stroke="#999" stroke-width="1.2"/>`);
    out.push(`<path class="mean" d="${linePath(rows, panel.mean, x, y)}" fill="none" stroke="#00008b" stroke-width="1.2" stroke-dasharray="6,4"/>`);
    if (panel.line) out.push(`<path class="response" d="${linePath(rows, panel.line, x, y)}" fill="none" stroke="#000" stroke-width="1.2"/>`);
    out.push('</g>');
  });

  const yAxis = H - bottom + 14;
  const ticks = Math.min(6, n);
  for (let k = 0; k < ticks; k++) {
    const i = ticks === 1 ? 0 : Math.round((k * (n - 1)) / (ticks - 1));
    const label = rows[i]!.time ?? rows[i]!.index;
    out.push(`<text x="${f(x(i))}" y="${yAxis}" text-anchor="middle">${esc(String(label))}</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
