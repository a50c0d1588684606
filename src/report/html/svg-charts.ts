/**
 * Small inline SVG charts for pages that must read with JavaScript off (the comparison page): intervals on a shared
 * axis (estimates, event studies), a love plot, and a mirrored histogram. Each chart is a string of SVG with a title
 * and a text alternative; numbers are rounded to two decimals.
 */
import { niceTicks } from '../../analysis/impact/index.js';
import { escapeHtml as esc } from './escape.js';

const f = (x: number): string => (Math.round(x * 100) / 100).toString();
const INK = '#111827', MUTED = '#6b7280', RULE = '#e5e7eb', ACCENT = '#2563eb', WARN = '#b45309';

/** One row of an interval chart: a label, a point, and its interval (null when there is none). */
export interface IntervalRow {
  label: string;
  estimate: number;
  lower: number | null;
  upper: number | null;
  /** Drawn hollow and grey (a reference such as the naive difference). */
  muted?: boolean;
}

function axisRange(values: number[], include: number[]): [number, number] {
  const all = [...values, ...include].filter(Number.isFinite);
  let lo = Math.min(...all), hi = Math.max(...all);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}

function svgOpen(width: number, height: number, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(title)}" style="max-width:${width}px;font:12px system-ui,sans-serif"><title>${esc(title)}</title>`;
}

/** Horizontal intervals, one row each, on one x axis with a line at `reference` (0 for effects). */
export function intervalChart(rows: readonly IntervalRow[], title: string, options: { reference?: number; xLabel?: string; labelWidth?: number } = {}): string {
  const reference = options.reference ?? 0;
  const labelWidth = options.labelWidth ?? 190;
  const width = 720, rowH = 26, top = 10, bottom = 40;
  const height = top + rowH * rows.length + bottom;
  const [lo, hi] = axisRange(rows.flatMap((r) => [r.estimate, r.lower ?? r.estimate, r.upper ?? r.estimate]), [reference]);
  const x = (v: number) => labelWidth + ((v - lo) / (hi - lo)) * (width - labelWidth - 20);
  let s = svgOpen(width, height, title);
  for (const t of niceTicks(lo, hi, 6)) {
    s += `<line x1="${f(x(t))}" x2="${f(x(t))}" y1="${top}" y2="${top + rowH * rows.length}" stroke="${RULE}"/>`;
    s += `<text x="${f(x(t))}" y="${top + rowH * rows.length + 16}" text-anchor="middle" fill="${MUTED}">${esc(shortNumber(t))}</text>`;
  }
  s += `<line x1="${f(x(reference))}" x2="${f(x(reference))}" y1="${top}" y2="${top + rowH * rows.length}" stroke="${INK}" stroke-dasharray="4 3"/>`;
  rows.forEach((r, i) => {
    const y = top + rowH * i + rowH / 2;
    const color = r.muted ? MUTED : ACCENT;
    s += `<text x="${labelWidth - 10}" y="${f(y + 4)}" text-anchor="end" fill="${INK}">${esc(r.label)}</text>`;
    if (r.lower !== null && r.upper !== null && Number.isFinite(r.lower) && Number.isFinite(r.upper)) {
      s += `<line x1="${f(x(r.lower))}" x2="${f(x(r.upper))}" y1="${f(y)}" y2="${f(y)}" stroke="${color}" stroke-width="2"/>`;
    }
    s += `<circle cx="${f(x(r.estimate))}" cy="${f(y)}" r="4.5" fill="${r.muted ? '#fff' : color}" stroke="${color}" stroke-width="1.5"/>`;
  });
  if (options.xLabel) s += `<text x="${f((labelWidth + width) / 2)}" y="${height - 6}" text-anchor="middle" fill="${MUTED}">${esc(options.xLabel)}</text>`;
  return s + '</svg>';
}

/** One covariate of a love plot: its SMD before and after adjustment (and after weighting, when there is one). */
export interface LoveRow {
  covariate: string;
  before: number;
  after: number;
  weighted: number | null;
}

/** A love plot: |SMD| per covariate before (hollow) and after (filled) adjustment, with the 0.1 threshold. */
export function lovePlot(rows: readonly LoveRow[], title: string): string {
  const labelWidth = 200, width = 720, rowH = 22, top = 26, bottom = 52;
  const height = top + rowH * rows.length + bottom;
  const maxAbs = Math.max(0.25, ...rows.flatMap((r) => [Math.abs(r.before), Math.abs(r.after), Math.abs(r.weighted ?? 0)]).filter(Number.isFinite));
  const hi = maxAbs * 1.05;
  const x = (v: number) => labelWidth + (v / hi) * (width - labelWidth - 20);
  let s = svgOpen(width, height, title);
  for (const t of niceTicks(0, hi, 6)) {
    s += `<line x1="${f(x(t))}" x2="${f(x(t))}" y1="${top}" y2="${top + rowH * rows.length}" stroke="${RULE}"/>`;
    s += `<text x="${f(x(t))}" y="${top + rowH * rows.length + 16}" text-anchor="middle" fill="${MUTED}">${esc(shortNumber(t))}</text>`;
  }
  s += `<line x1="${f(x(0.1))}" x2="${f(x(0.1))}" y1="${top}" y2="${top + rowH * rows.length}" stroke="${WARN}" stroke-dasharray="4 3"/>`;
  s += `<text x="${f(x(0.1) + 4)}" y="${top + rowH * rows.length + 30}" fill="${WARN}">0.1 = balanced</text>`;
  const hasWeighted = rows.some((r) => r.weighted !== null);
  let lx = labelWidth;
  s += `<circle cx="${lx + 4}" cy="12" r="4" fill="#fff" stroke="${MUTED}" stroke-width="1.5"/><text x="${lx + 13}" y="16" fill="${MUTED}">before</text>`;
  lx += 70;
  s += `<circle cx="${lx + 4}" cy="12" r="4" fill="${ACCENT}"/><text x="${lx + 13}" y="16" fill="${MUTED}">after matching</text>`;
  lx += 120;
  if (hasWeighted) s += `<rect x="${lx}" y="8" width="8" height="8" fill="#059669"/><text x="${lx + 13}" y="16" fill="${MUTED}">after weighting</text>`;
  rows.forEach((r, i) => {
    const y = top + rowH * i + rowH / 2;
    s += `<line x1="${labelWidth}" x2="${width - 20}" y1="${f(y)}" y2="${f(y)}" stroke="${RULE}" stroke-width="0.5"/>`;
    s += `<text x="${labelWidth - 10}" y="${f(y + 4)}" text-anchor="end" fill="${INK}">${esc(r.covariate)}</text>`;
    if (Number.isFinite(r.before)) s += `<circle cx="${f(x(Math.abs(r.before)))}" cy="${f(y)}" r="4.5" fill="#fff" stroke="${MUTED}" stroke-width="1.5"/>`;
    if (r.weighted !== null && Number.isFinite(r.weighted)) s += `<rect x="${f(x(Math.abs(r.weighted)) - 4)}" y="${f(y - 4)}" width="8" height="8" fill="#059669"/>`;
    if (Number.isFinite(r.after)) s += `<circle cx="${f(x(Math.abs(r.after)))}" cy="${f(y)}" r="4.5" fill="${ACCENT}"/>`;
  });
  s += `<text x="${labelWidth}" y="${height - 6}" fill="${MUTED}">absolute standardised mean difference</text>`;
  return s + '</svg>';
}

/** A mirrored histogram over shared bins: the first group above the axis, the second below, each as shares of its group. */
export function mirroredHistogram(edges: readonly number[], aboveCounts: readonly number[], belowCounts: readonly number[], labels: [string, string], title: string, xLabel: string): string {
  const width = 720, height = 280, left = 50, right = 20, mid = 120;
  const n = aboveCounts.length;
  const share = (c: readonly number[]) => {
    const total = c.reduce((a, b) => a + b, 0) || 1;
    return c.map((v) => v / total);
  };
  const above = share(aboveCounts), below = share(belowCounts);
  const max = Math.max(1e-9, ...above, ...below);
  const lo = edges[0]!, hi = edges[edges.length - 1]!;
  const x = (v: number) => left + ((v - lo) / (hi - lo || 1)) * (width - left - right);
  const h = (c: number) => (c / max) * (mid - 20);
  let s = svgOpen(width, height, title);
  for (let i = 0; i < n; i++) {
    const x0 = x(edges[i]!), x1 = x(edges[i + 1]!);
    if (above[i]! > 0) s += `<rect x="${f(x0 + 0.5)}" y="${f(mid - h(above[i]!))}" width="${f(Math.max(0.5, x1 - x0 - 1))}" height="${f(h(above[i]!))}" fill="${ACCENT}"><title>${esc(labels[0])}: ${aboveCounts[i]}</title></rect>`;
    if (below[i]! > 0) s += `<rect x="${f(x0 + 0.5)}" y="${mid}" width="${f(Math.max(0.5, x1 - x0 - 1))}" height="${f(h(below[i]!))}" fill="${MUTED}"><title>${esc(labels[1])}: ${belowCounts[i]}</title></rect>`;
  }
  s += `<line x1="${left}" x2="${width - right}" y1="${mid}" y2="${mid}" stroke="${INK}"/>`;
  s += `<text x="${left + 4}" y="16" fill="${ACCENT}">${esc(labels[0])} ↑</text><text x="${left + 4}" y="${mid * 2 - 6}" fill="${MUTED}">${esc(labels[1])} ↓</text>`;
  for (const t of niceTicks(lo, hi, 5)) s += `<text x="${f(x(t))}" y="${mid * 2 + 14}" text-anchor="middle" fill="${MUTED}">${esc(shortNumber(t))}</text>`;
  s += `<text x="${f((left + width) / 2)}" y="${height - 4}" text-anchor="middle" fill="${MUTED}">${esc(xLabel)} (bar heights: share of each group)</text>`;
  return s + '</svg>';
}

/** Estimates by period with intervals (an event study): points joined in time order, a band of intervals, a line at 0. */
export function eventStudyChart(rows: readonly { period: number; estimate: number; lower: number; upper: number }[], title: string): string {
  const width = 720, height = 280, left = 60, right = 20, top = 14, bottom = 40;
  if (rows.length === 0) return svgOpen(width, 40, title) + `<text x="10" y="24" fill="${MUTED}">no periods to show</text></svg>`;
  const periods = rows.map((r) => r.period);
  const pLo = Math.min(...periods) - 0.5, pHi = Math.max(...periods) + 0.5;
  const [lo, hi] = axisRange(rows.flatMap((r) => [r.lower, r.upper, r.estimate]), [0]);
  const x = (p: number) => left + ((p - pLo) / (pHi - pLo)) * (width - left - right);
  const y = (v: number) => top + ((hi - v) / (hi - lo)) * (height - top - bottom);
  let s = svgOpen(width, height, title);
  for (const t of niceTicks(lo, hi, 5)) {
    s += `<line x1="${left}" x2="${width - right}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="${RULE}"/>`;
    s += `<text x="${left - 6}" y="${f(y(t) + 4)}" text-anchor="end" fill="${MUTED}">${esc(shortNumber(t))}</text>`;
  }
  s += `<line x1="${left}" x2="${width - right}" y1="${f(y(0))}" y2="${f(y(0))}" stroke="${INK}"/>`;
  s += `<line x1="${f(x(-0.5))}" x2="${f(x(-0.5))}" y1="${top}" y2="${height - bottom}" stroke="${WARN}" stroke-dasharray="4 3"/>`;
  for (const r of rows) {
    const color = r.period < 0 ? MUTED : ACCENT;
    s += `<line x1="${f(x(r.period))}" x2="${f(x(r.period))}" y1="${f(y(r.lower))}" y2="${f(y(r.upper))}" stroke="${color}" stroke-width="2"/>`;
    s += `<circle cx="${f(x(r.period))}" cy="${f(y(r.estimate))}" r="4" fill="${color}"><title>${r.period}: ${shortNumber(r.estimate)}</title></circle>`;
  }
  const step = Math.max(1, Math.ceil(rows.length / 16));
  rows.forEach((r, i) => {
    if (i % step === 0) s += `<text x="${f(x(r.period))}" y="${height - bottom + 16}" text-anchor="middle" fill="${MUTED}">${r.period}</text>`;
  });
  s += `<text x="${f((left + width) / 2)}" y="${height - 4}" text-anchor="middle" fill="${MUTED}">periods relative to treatment (leads left of the dashed line)</text>`;
  return s + '</svg>';
}

function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${f(v / 1e6)}M`;
  if (a >= 1e4) return `${f(v / 1e3)}k`;
  return Number(v.toPrecision(4)).toString();
}
