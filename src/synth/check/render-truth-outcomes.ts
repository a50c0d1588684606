/** The "Who moves outcomes" block of `clout demo`: the report's causal answers beside the planted truth. Reads only. */
import type { EffectVsTruth, OutcomesTruthCheck } from './truth-outcomes.js';
import { formatFixed, formatInt, renderTable } from '../../report/index.js';

/** Renders the top accounts, the celebrity's line and the framing multipliers, each beside its planted value. */
export function renderOutcomesTruthCheck(check: OutcomesTruthCheck): string {
  const level = `${Math.round((check.model.level ?? 0.9) * 100)}%`;
  const outcome = check.model.types.map((t) => (t.endsWith('s') ? t : `${t}s`)).join(' + ');
  const out = [`\nWho moves outcomes (the report's outcome model, ${outcome}; ${level} intervals) beside the planted truth\n`];
  const verdict = (inside: boolean | null): string => (inside === null ? '' : inside ? ' inside' : ' OUTSIDE');
  const planted = (x: number | null, inside: boolean | null): string => (x === null ? '–' : `${formatFixed(x, 2)}${verdict(inside)}`);
  if (check.model.status !== 'fitted') out.push(`No outcome influence: ${check.model.note}.\n`);
  else {
    out.push(
      renderTable(check.accounts, [
        { header: '#', cell: (a) => String(a.rank), align: 'right' },
        { header: 'account', cell: (a) => a.handle ?? a.id },
        { header: 'followers', cell: (a) => formatInt(a.followers), align: 'right' },
        { header: 'caused per post', cell: (a) => formatFixed(a.outcome_influence.mean, 2), align: 'right' },
        { header: `${level} interval`, cell: (a) => `${formatFixed(a.outcome_influence.lower, 2)}–${formatFixed(a.outcome_influence.upper, 2)}`, align: 'right' },
        { header: 'P(moves)', cell: (a) => formatFixed(a.outcome_influence.prob_positive, 2), align: 'right' },
        { header: 'planted per post', cell: (a) => planted(a.planted_per_post, a.inside) },
      ]),
    );
    const c = check.celebrity;
    if (c === null) out.push('Celebrity: not among the modelled accounts.\n');
    else {
      const o = c.outcome_influence;
      out.push(
        `Celebrity ${c.handle ?? c.id} (${formatInt(c.followers)} followers, #${c.rank_followers} by followers): causes ${formatFixed(o.mean, 2)} per post ` +
          `[${formatFixed(o.lower, 2)}–${formatFixed(o.upper, 2)}], P(moves) ${formatFixed(o.prob_positive, 2)}, #${c.rank} of ${check.modelled} by outcome influence; ` +
          `planted per post ${planted(c.planted_per_post, c.inside)}\n`,
      );
    }
  }
  if (check.framing.length === 0) return out.concat('Framing: no multiplier could be estimated (see `clout report` warnings).\n').join('');
  const effect = (e: EffectVsTruth | null, reference: boolean): string =>
    e === null ? '–' : reference ? formatFixed(e.effect, 2) : `${formatFixed(e.effect, 2)} [${formatFixed(e.lower, 2)}–${formatFixed(e.upper, 2)}]`;
  const plantedEffect = (e: EffectVsTruth | null, reference: boolean): string => (e === null || reference ? '' : planted(e.planted, e.inside));
  out.push(`\nFraming, × pitch by the same author [${level} interval]\n`);
  out.push(
    renderTable(check.framing, [
      { header: 'framing', cell: (f) => f.framing },
      { header: 'clicks', cell: (f) => effect(f.clicks, f.framing === 'pitch') },
      { header: 'planted', cell: (f) => plantedEffect(f.clicks, f.framing === 'pitch') },
      { header: 'conversions', cell: (f) => effect(f.conversions, f.framing === 'pitch') },
      { header: 'incremental outcomes', cell: (f) => effect(f.outcomes, f.framing === 'pitch') },
      { header: 'planted', cell: (f) => plantedEffect(f.outcomes, f.framing === 'pitch') },
    ]),
  );
  out.push('  (conversions carried by clicks mix buyers a post moved with baseline buyers who click first: no single planted value)\n');
  return out.join('');
}
