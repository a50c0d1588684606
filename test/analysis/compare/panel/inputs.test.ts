// comparePanel's input checks, options and warnings: each names the problem in plain words.
import { describe, expect, it } from 'vitest';
import { comparePanel, PANEL_DEFAULTS } from '../../../../src/analysis/compare/panel/index.js';
import type { PanelData } from '../../../../src/analysis/compare/types.js';
import { CloutError, Rng } from '../../../../src/domain/index.js';

/** A balanced panel from a unit × period table and per-unit first treated periods (-1 = never). */
function panel(y: number[][], treatedAt: number[], periodLabels?: string[]): PanelData {
  const unit: number[] = [], period: number[] = [], outcome: number[] = [];
  y.forEach((row, i) => row.forEach((v, t) => {
    if (Number.isNaN(v)) return;
    unit.push(i);
    period.push(t);
    outcome.push(v);
  }));
  return { unit: Int32Array.from(unit), period: Int32Array.from(period), outcome: Float64Array.from(outcome), treatedAt: Int32Array.from(treatedAt), periodLabels };
}

const grid = (n: number, t: number, f: (i: number, s: number) => number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: t }, (_, s) => f(i, s)));
const noisy = (i: number, s: number): number => i + s + Math.sin(7 * i + 3 * s);

function inputError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CloutError);
    expect((e as CloutError).code).toBe('input');
    return (e as Error).message;
  }
  throw new Error('expected an input error');
}

describe('comparePanel input checks', () => {
  it('needs treated units, comparison units and two periods', () => {
    expect(inputError(() => comparePanel(panel(grid(4, 3, noisy), [-1, -1, -1, -1])))).toMatch(/no treated units/);
    expect(inputError(() => comparePanel(panel(grid(4, 3, noisy), [0, 0, -1, -1])))).toMatch(/no treated units \(2 treated units were treated from their first period on/);
    expect(inputError(() => comparePanel(panel(grid(4, 3, noisy), [1, 1, 1, 1])))).toMatch(/no comparison units: every unit is treated at period 1/);
    expect(inputError(() => comparePanel(panel(grid(4, 3, noisy), [1, 1, 2, 2]), { comparison: 'never-treated' }))).toMatch(/no never-treated units/);
    expect(inputError(() => comparePanel(panel(grid(4, 1, noisy), [-1, -1, -1, -1])))).toMatch(/1 period; need ≥ 2/);
  });

  it('rejects two rows for one unit and period, bad indices and non-finite outcomes', () => {
    const d = panel(grid(3, 3, noisy), [1, -1, -1], ['2024-01', '2024-02', '2024-03']);
    const dup: PanelData = { ...d, unit: Int32Array.from([...d.unit, 0]), period: Int32Array.from([...d.period, 2]), outcome: Float64Array.from([...d.outcome, 1]) };
    expect(inputError(() => comparePanel(dup))).toMatch(/unit 0 has two rows for period 2024-03/);
    expect(inputError(() => comparePanel({ ...d, treatedAt: Int32Array.from([5, -1, -1]) }))).toMatch(/first treated period 5/);
    const nan = Float64Array.from(d.outcome);
    nan[4] = NaN;
    expect(inputError(() => comparePanel({ ...d, outcome: nan }))).toMatch(/row 4 .* has outcome NaN/);
    expect(inputError(() => comparePanel({ ...d, unit: Int32Array.from(d.unit).map((u) => (u === 2 ? 7 : u)) }))).toMatch(/unit index 7/);
  });

  it('rejects unknown and out-of-range options as bad_option', () => {
    const d = panel(grid(4, 3, noisy), [1, -1, -1, -1]);
    for (const bad of [{ seed: 1 }, { level: 1.2 }, { comparison: 'everyone' }, { leads: 0 }]) {
      try {
        comparePanel(d, bad as never);
        throw new Error('expected a bad_option error');
      } catch (e) {
        expect((e as CloutError).code).toBe('bad_option');
        expect((e as CloutError).message).toMatch(/^compare --panel: /);
      }
    }
    expect(comparePanel(d).options).toMatchObject(PANEL_DEFAULTS);
  });
});

describe('comparePanel warnings', () => {
  it('drops units treated in their first period and counts them', () => {
    const r = comparePanel(panel(grid(6, 4, noisy), [0, 2, 2, -1, -1, -1]));
    expect(r.dropped_units).toBe(1);
    expect(r.n_units).toBe(5);
    expect(r.n_treated_units).toBe(2);
    expect(r.warnings.join('\n')).toMatch(/1 unit was treated from their first observed period on/);
  });

  it('says when there are no never-treated units and comparisons run out for the last cohort', () => {
    const r = comparePanel(panel(grid(6, 6, noisy), [2, 2, 3, 3, 4, 4]));
    const text = r.warnings.join('\n');
    expect(text).toMatch(/no never-treated units.*last cohort \(treated at 4\)/);
    expect(text).toMatch(/post-treatment cohort-periods have no comparison units/);
    // Cohort 4 has no post cell; cohort 2's cells stop before period 4.
    expect(r.group_time.some((c) => c.treated_at === '4' && c.relative_period >= 0)).toBe(false);
    expect(r.group_time.filter((c) => c.treated_at === '2' && c.relative_period >= 0).map((c) => c.period)).toEqual(['2', '3']);
  });

  it('warns about single-unit cohorts, unbalanced panels and staggered TWFE', () => {
    const y = grid(6, 5, noisy);
    y[4]![2] = NaN;
    const r = comparePanel(panel(y, [2, 3, 3, -1, -1, -1]));
    const text = r.warnings.join('\n');
    expect(text).toMatch(/1 cohort has a single unit \(treated at 2\)/);
    expect(text).toMatch(/unbalanced panel: 1 unit-period is missing/);
    expect(text).toMatch(/staggered adoption: two-way fixed effects/);
    expect(r.did).toBeNull();
  });

  it('warns when the pre-trend test rejects, and not when trends are parallel', () => {
    // Treated units trend up by 1 per period more than the controls; the rest is a little noise.
    const rng = new Rng(11);
    const noise = grid(12, 6, () => 0.1 * rng.normal());
    const wiggle = (i: number, s: number): number => noise[i]![s]!;
    const parallel = comparePanel(panel(grid(12, 6, (i, s) => i + s + wiggle(i, s) + (i < 6 && s >= 4 ? 2 : 0)), [4, 4, 4, 4, 4, 4, -1, -1, -1, -1, -1, -1]));
    expect(parallel.pre_trend.df).toBe(3);
    expect(parallel.pre_trend.p_value).toBeGreaterThan(0.05);
    expect(parallel.warnings.join('\n')).not.toMatch(/pre-trend/);
    expect(parallel.att.estimate).toBeCloseTo(2, 0);
    const trending = comparePanel(panel(grid(12, 6, (i, s) => i + s + wiggle(i, s) + (i < 6 ? s : 0)), [4, 4, 4, 4, 4, 4, -1, -1, -1, -1, -1, -1]));
    expect(trending.pre_trend.p_value).toBeLessThan(0.001);
    expect(trending.warnings.join('\n')).toMatch(/pre-trend test rejects/);
  });

  it('caps the event study at the requested leads and lags, keeping the reference row', () => {
    const r = comparePanel(panel(grid(8, 10, noisy), [5, 5, 5, 5, -1, -1, -1, -1]), { leads: 2, lags: 1 });
    expect(r.event_study.map((e) => e.relative_period)).toEqual([-2, -1, 0, 1]);
    expect(r.pre_trend.df).toBe(1);
    // The overall ATT still uses every post period (5 of them).
    expect(r.group_time.filter((c) => c.relative_period >= 0)).toHaveLength(5);
  });
});
