// Known answers for the panel estimators: statsmodels OLS with dummies and pandas group means on committed fixtures
// (test/fixtures/compare/panel/make-panel.py → panel.json), and an ATT(g, t) table worked by hand.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { comparePanel } from '../../../../src/analysis/compare/panel/index.js';
import type { PanelData } from '../../../../src/analysis/compare/types.js';

interface Case {
  panel: { unit: number[]; period: number[]; y: number[]; treated_at: number[] };
  did?: { estimate: number; se: number };
  twfe: { estimate: number; se: number; n: number; k: number; clusters: number };
  att_gt: Record<'not-yet-treated' | 'never-treated', { g: number; t: number; estimate: number; se: number | null; n_treated: number; n_comparison: number }[]>;
}
const cases = JSON.parse(readFileSync(new URL('../../../fixtures/compare/panel/panel.json', import.meta.url), 'utf8')) as Record<string, Case>;

const toData = (p: Case['panel']): PanelData => ({
  unit: Int32Array.from(p.unit),
  period: Int32Array.from(p.period),
  outcome: Float64Array.from(p.y),
  treatedAt: Int32Array.from(p.treated_at),
});

describe('panel estimators against statsmodels and pandas', () => {
  for (const [name, c] of Object.entries(cases)) {
    describe(name, () => {
      const data = toData(c.panel);
      const nPeriods = Math.max(...c.panel.period) + 1;

      it('two-way fixed effects equals OLS with unit and period dummies (cluster-robust s.e. by unit)', () => {
        const r = comparePanel(data);
        expect(r.twfe.estimate).toBeCloseTo(c.twfe.estimate, 9);
        // statsmodels counts the unit dummies in K; clout does not (they are nested in the clusters).
        const k = 1 + (nPeriods - 1);
        const want = c.twfe.se * Math.sqrt((c.twfe.n - c.twfe.k) / (c.twfe.n - k));
        expect(r.twfe.se).toBeCloseTo(want, 9);
      });

      if (c.did) {
        it('the 2×2 DiD equals the interaction of OLS y ~ treated·post (cluster-robust s.e. by unit)', () => {
          const r = comparePanel(data);
          expect(r.did).not.toBeNull();
          expect(r.did!.estimate).toBeCloseTo(c.did!.estimate, 9);
          expect(r.did!.se).toBeCloseTo(c.did!.se, 9);
        });
      } else {
        it('has no 2×2 DiD with several adoption dates', () => expect(comparePanel(data).did).toBeNull());
      }

      for (const comparison of ['not-yet-treated', 'never-treated'] as const) {
        it(`ATT(g, t) equals the group means (${comparison})`, () => {
          const r = comparePanel(data, { comparison });
          const want = c.att_gt[comparison];
          expect(r.group_time).toHaveLength(want.length);
          for (const w of want) {
            const got = r.group_time.find((x) => x.treated_at === String(w.g) && x.period === String(w.t));
            expect(got, `ATT(${w.g}, ${w.t})`).toBeDefined();
            expect(got!.estimate).toBeCloseTo(w.estimate, 9);
            expect(got!.n_treated).toBe(w.n_treated);
            expect(got!.n_comparison).toBe(w.n_comparison);
            if (w.se !== null) expect(got!.se).toBeCloseTo(w.se, 9);
          }
        });
      }
    });
  }
});

describe('ATT(g, t) by hand', () => {
  // Five units over four periods. A and B are treated at period 2, C at period 3, D and E never.
  //        t=0  t=1  t=2  t=3
  //   A     1    2    6    8
  //   B     3    3    7    9
  //   C     0    1    2    7
  //   D     2    3    4    5
  //   E     1    1    2    4
  const y = [[1, 2, 6, 8], [3, 3, 7, 9], [0, 1, 2, 7], [2, 3, 4, 5], [1, 1, 2, 4]];
  const data: PanelData = {
    unit: Int32Array.from(y.flatMap((row, i) => row.map(() => i))),
    period: Int32Array.from(y.flatMap((row) => row.map((_, t) => t))),
    outcome: Float64Array.from(y.flat()),
    treatedAt: Int32Array.from([2, 2, 3, -1, -1]),
  };
  const cell = (r: ReturnType<typeof comparePanel>, g: number, t: number) => r.group_time.find((x) => x.treated_at === String(g) && x.period === String(t));

  it('not yet treated: cohort 2 against C (until it is treated), D and E', () => {
    const r = comparePanel(data);
    // ATT(2, 2): cohort 2's change from t=1 is (4 + 4)/2 = 4; C, D, E change by 1, 1, 1 → 3.
    expect(cell(r, 2, 2)!.estimate).toBeCloseTo(3, 12);
    expect(cell(r, 2, 2)!.n_comparison).toBe(3);
    // ATT(2, 3): cohort 2 changes by (6 + 6)/2 = 6; C is treated at 3, so D and E only: (2 + 3)/2 = 2.5 → 3.5.
    expect(cell(r, 2, 3)!.estimate).toBeCloseTo(3.5, 12);
    expect(cell(r, 2, 3)!.n_comparison).toBe(2);
    // ATT(2, 0), a lead against base 1: cohort 2 changes by (−1 + 0)/2 = −0.5; comparisons not yet treated by
    // max(0, 1) = 1, cohort 2 excluded: C (−1), D (−1), E (0) → −2/3; lead = −0.5 + 2/3 = 1/6.
    expect(cell(r, 2, 0)!.estimate).toBeCloseTo(1 / 6, 12);
    // ATT(3, 3): C changes 2 → 7 = 5; D and E change by 1 and 2 → 1.5 → 3.5.
    expect(cell(r, 3, 3)!.estimate).toBeCloseTo(3.5, 12);
    // ATT(3, 1), a lead against base 2: C changes by 1 − 2 = −1; D −1, E −1 (cohort 2 is treated by 2) → 0.
    expect(cell(r, 3, 1)!.estimate).toBeCloseTo(0, 12);
    expect(cell(r, 3, 1)!.n_comparison).toBe(2);
    // Overall ATT: cells (2,2), (2,3) with 2 treated units each, (3,3) with 1 → (2·3 + 2·3.5 + 3.5)/5 = 3.3.
    expect(r.att.estimate).toBeCloseTo(3.3, 12);
    // Event study e = 0: (2,2) and (3,3): (2·3 + 1·3.5)/3; e = 1: (2,3) alone.
    const row = (e: number) => r.event_study.find((x) => x.relative_period === e)!;
    expect(row(0).estimate).toBeCloseTo(9.5 / 3, 12);
    expect(row(1).estimate).toBeCloseTo(3.5, 12);
    expect(row(-1)).toMatchObject({ estimate: 0, se: 0, n_units: 3 });
    // e = −2: (2, 0) with 2 units and (3, 1) with 1 → (2/6 + 0)/3 = 1/9.
    expect(row(-2).estimate).toBeCloseTo(1 / 9, 12);
    expect(row(-2).n_units).toBe(3);
  });

  it('never treated: D and E only', () => {
    const r = comparePanel(data, { comparison: 'never-treated' });
    expect(cell(r, 2, 2)!.estimate).toBeCloseTo(4 - 1, 12);
    expect(cell(r, 2, 0)!.estimate).toBeCloseTo(-0.5 - -0.5, 12);
    expect(r.att.comparison).toBe('never-treated');
  });

  it('its standard error is the two-sample one: ATT(2, 3) = 3.5, treated changes 6 and 6, comparison changes 2 and 3', () => {
    const r = comparePanel(data);
    // var = 0/2 + s²/2 with s² = 0.5 → se = 0.5.
    expect(cell(r, 2, 3)!.se).toBeCloseTo(0.5, 12);
  });
});

describe('the 2×2 DiD by hand', () => {
  // Two periods; units 0–2 treated at period 1, units 3–5 never.
  //   treated changes: 5 − 1 = 4, 7 − 2 = 5, 9 − 3 = 6  (mean 5)
  //   control changes: 2 − 1 = 1, 3 − 2 = 1, 6 − 2 = 4  (mean 2)
  const before = [1, 2, 3, 1, 2, 2], after = [5, 7, 9, 2, 3, 6];
  const data: PanelData = {
    unit: Int32Array.from([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]),
    period: Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]),
    outcome: Float64Array.from([...before, ...after]),
    treatedAt: Int32Array.from([1, 1, 1, -1, -1, -1]),
  };

  it('is the difference of mean changes, 5 − 2 = 3, and so are the ATT and TWFE with two periods', () => {
    const r = comparePanel(data);
    expect(r.did!.estimate).toBeCloseTo(3, 12);
    expect(r.att.estimate).toBeCloseTo(3, 12);
    expect(r.twfe.estimate).toBeCloseTo(3, 12);
  });

  it('has the cluster-robust s.e. of a difference of mean changes, with the CR1 factor', () => {
    // Clustered by unit, the saturated regression's variance of the interaction is Σ (Δ − Δ̄)² / n² per group:
    // treated (1 + 0 + 1)/9, control (1 + 1 + 4)/9; CR1 multiplies by G/(G−1)·(N−1)/(N−K) = 6/5 · 11/8.
    const v = (2 / 9 + 6 / 9) * (6 / 5) * (11 / 8);
    const r = comparePanel(data);
    expect(r.did!.se).toBeCloseTo(Math.sqrt(v), 12);
    // The ATT's influence-function s.e. is the two-sample (Welch) one: s²_T/3 + s²_C/3 = (2/2)/3 + (6/2)/3.
    expect(r.att.se).toBeCloseTo(Math.sqrt(1 / 3 + 1), 12);
    // t interval on G − 1 = 5 degrees of freedom: t(0.975, 5) = 2.5706 (printed tables).
    expect((r.did!.upper - r.did!.estimate) / r.did!.se).toBeCloseTo(2.5706, 3);
  });
});
