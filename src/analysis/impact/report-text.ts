/**
 * Text renderings of an impact result: the summary table of R's `summary(impact)` and a plain-language paragraph
 * (in the spirit of R's `summary(impact, "report")`, reworded). Both read the result and compute nothing else.
 */
import type { ImpactCalibration, ImpactColumn, ImpactResult } from './types.js';

/** Formats a number with `digits` significant digits, never rounding away integer digits (like R's format()). */
export function formatNumber(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'NA';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 10 ** digits) return String(Math.round(x));
  const text = x.toPrecision(digits);
  return text.includes('e') ? String(Number(text)) : text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Formats a share as a percentage with `digits` significant digits. */
export function formatPercent(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'NA';
  return `${formatNumber(x * 100, digits)}%`;
}

function periodLabel(r: ImpactResult, which: 'pre' | 'post'): string {
  const p = r[which];
  const a = p.start_time ?? `row ${p.start}`;
  const b = p.end_time ?? `row ${p.end}`;
  return a === b ? String(a) : `${a} to ${b}`;
}

/** The summary table (Average and Cumulative columns), p and the posterior probability of an effect. */
export function renderSummaryTable(r: ImpactResult, digits = 2): string {
  const lines = [`Posterior inference (clout impact) — ${r.target}, post period ${periodLabel(r, 'post')}`, ''];
  if (!r.ok || !r.average || !r.cumulative || r.p === null) {
    lines.push('(Inference aborted)');
    for (const w of r.warnings) lines.push(`warning: ${w}`);
    return lines.join('\n') + '\n';
  }
  const ci = `${Math.round((1 - r.alpha) * 100)}% CI`;
  const cell = (c: ImpactColumn, row: number): string => {
    const n = (x: number) => formatNumber(x, digits);
    const ci2 = (a: number, b: number) => `[${formatNumber(a, Math.min(digits, 2))}, ${formatNumber(b, Math.min(digits, 2))}]`;
    const pci = (a: number, b: number) => `[${formatPercent(a, Math.min(digits, 2))}, ${formatPercent(b, Math.min(digits, 2))}]`;
    switch (row) {
      case 0: return n(c.actual);
      case 1: return `${n(c.predicted)} (${n(c.predicted_sd)})`;
      case 2: return ci2(c.predicted_lower, c.predicted_upper);
      case 4: return `${n(c.abs_effect)} (${n(c.abs_effect_sd)})`;
      case 5: return ci2(c.abs_effect_lower, c.abs_effect_upper);
      case 7: return `${formatPercent(c.rel_effect, digits)} (${formatPercent(c.rel_effect_sd, digits)})`;
      case 8: return pci(c.rel_effect_lower, c.rel_effect_upper);
      default: return '';
    }
  };
  const labels = ['Actual', 'Prediction (s.d.)', ci, '', 'Absolute effect (s.d.)', ci, '', 'Relative effect (s.d.)', ci];
  const a = labels.map((_, i) => cell(r.average!, i));
  const c = labels.map((_, i) => cell(r.cumulative!, i));
  const w0 = Math.max(...labels.map((l) => l.length));
  const w1 = Math.max('Average'.length, ...a.map((s) => s.length));
  lines.push(`${''.padEnd(w0)}   ${'Average'.padEnd(w1)}   Cumulative`);
  labels.forEach((l, i) => lines.push(l === '' ? '' : `${l.padEnd(w0)}   ${a[i]!.padEnd(w1)}   ${c[i]}`.trimEnd()));
  lines.push('');
  lines.push(`Posterior tail-area probability p:   ${Number(r.p.toFixed(5))} (two-sided; one-sided ${Number(r.p_one_sided!.toFixed(5))})`);
  const pct = r.prob_effect! * 100;
  lines.push(`Posterior probability of an effect:  ${Number(pct.toFixed(r.p < 0.01 ? 5 : r.p < 0.05 ? 3 : 0))}%`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}

/** A plain-language paragraph: what happened, what was expected, the effect with its interval, and whether it is real. */
export function renderReport(r: Pick<ImpactResult, 'target' | 'alpha' | 'pre' | 'post' | 'average' | 'cumulative' | 'p' | 'prob_effect'> & Partial<Pick<ImpactResult, 'calibration'>>, digits = 2): string | null {
  const avg = r.average, cum = r.cumulative, p = r.p, prob = r.prob_effect;
  if (!avg || !cum || p === null || prob === null) return null;
  const n = (x: number) => formatNumber(x, digits);
  const pc = (x: number) => formatPercent(x, digits);
  const level = `${Math.round((1 - r.alpha) * 100)}%`;
  const points = r.post.end - r.post.start + 1;
  const significant = !(avg.rel_effect_lower < 0 && avg.rel_effect_upper > 0);
  const up = avg.rel_effect > 0;
  const parts: string[] = [];
  parts.push(
    `During the post period (${points} point${points === 1 ? '' : 's'}, ${periodLabel(r as ImpactResult, 'post')}), ` +
      `${r.target} averaged ${n(avg.actual)}. Without the intervention the model expected ${n(avg.predicted)} ` +
      `(${level} interval ${n(avg.predicted_lower)} to ${n(avg.predicted_upper)}), learned from the pre-period ` +
      `${r.pre.start_time !== null ? `(${periodLabel(r as ImpactResult, 'pre')}) ` : ''}and the control series.`,
  );
  parts.push(
    `The estimated effect is ${n(avg.abs_effect)} per point (${level} interval ${n(avg.abs_effect_lower)} to ` +
      `${n(avg.abs_effect_upper)}); over the whole period ${n(cum.actual)} were observed against ${n(cum.predicted)} ` +
      `expected, a difference of ${n(cum.abs_effect)} (${n(cum.abs_effect_lower)} to ${n(cum.abs_effect_upper)}), ` +
      `or ${up ? 'an increase' : 'a decrease'} of ${pc(Math.abs(avg.rel_effect))} (${pc(avg.rel_effect_lower)} to ${pc(avg.rel_effect_upper)}).`,
  );
  if (significant) {
    parts.push(
      `The interval excludes zero, so this ${up ? 'increase' : 'decrease'} is unlikely to be random fluctuation: the ` +
        `posterior probability of an effect is ${pc(prob)} (two-sided tail-area p = ${Number(p.toFixed(3))}).` +
        (up
          ? ' Whether it matters is a separate question: compare the absolute effect with what the intervention cost or aimed for.'
          : ' If an increase was expected, check whether a control series moved for reasons of its own, which would make the expectation too high.'),
    );
  } else {
    parts.push(
      `The interval includes zero, so the data do not show an effect (two-sided tail-area p = ${Number(p.toFixed(3))}): the ` +
        `difference is within what noise produces. A post period much longer than the effect lasts, one too short to ` +
        `separate signal from noise, or control series that track the target poorly can all hide a real effect.`,
    );
  }
  parts.push(
    'The estimate is causal only if the control series were not affected by the intervention and their relation to ' +
      'the target held from the pre-period into the post period.',
  );
  const sentence = r.calibration ? calibrationSentence(r.calibration, level) : null;
  if (sentence) parts.push(sentence);
  return parts.join(' ');
}

/** One plain sentence on the backtest and the level's drift (null when there is nothing to say). */
export function calibrationSentence(c: ImpactCalibration, level = `${Math.round(c.nominal * 100)}%`): string | null {
  const drift =
    c.chosen_by === 'learned'
      ? `the level's drift was learned from the pre-period (${formatPercent(c.prior_level_sd, 2)} of the target's s.d. per point)`
      : `the level's drift was fixed at ${formatPercent(c.prior_level_sd, 2)} of the target's s.d. per point${c.chosen_by === 'r_defaults' ? " (R's default)" : ''}`;
  if (c.coverage === null) {
    return c.note === 'backtest turned off' || c.note === 'not backtested' ? `In this model ${drift}.` : `There is no backtest (${c.note}); ${drift}.`;
  }
  const far = c.coverage < c.nominal - 0.15;
  return (
    `Backtested on the pre-period, the model's forecasts of the next ${c.horizon} point${c.horizon === 1 ? '' : 's'} fell inside their ${level} ` +
    `intervals ${formatPercent(c.coverage, 2)} of the time (${c.backtests.length} origin${c.backtests.length === 1 ? '' : 's'})` +
    (far ? ', far less often than they claim, so read the interval above as too narrow' : '') +
    `; ${drift}.`
  );
}
