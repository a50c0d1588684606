/**
 * Planted-truth simulations of the panel estimators (bench/compare-panel-designs.ts; the larger study is
 * `npm run check:compare-panel`): a single adoption date, dynamic effects, staggered adoption with effects that grow
 * with time since treatment and differ by cohort (with and without never-treated units, balanced and not), and a
 * violated parallel trend. 400 replications of 200 units per design.
 */
import { describe, expect, it } from 'vitest';
import { scorePanelDesign, type PanelDesign } from '../../../../bench/compare-panel-designs.js';
import { comparePanel } from '../../../../src/analysis/compare/panel/index.js';

const REPS = 400;
const score = (design: PanelDesign) => scorePanelDesign(design, REPS, 200, 7, (d) => comparePanel(d));
/** Unbiased: within 3 Monte Carlo standard errors of the truth (and small in absolute terms). */
const unbiased = (s: { bias: number; biasSe: number }) => {
  expect(Math.abs(s.bias)).toBeLessThan(3 * s.biasSe + 0.01);
};
const covers = (s: { coverage: number }) => {
  expect(s.coverage).toBeGreaterThanOrEqual(0.92);
  expect(s.coverage).toBeLessThanOrEqual(0.98);
};

describe('panel estimators recover planted effects', () => {
  it('one adoption date: the 2×2 DiD, TWFE and the ATT are unbiased and cover 95%', () => {
    const s = score('single');
    for (const e of [s.att, s.did!, s.twfe]) {
      unbiased(e);
      covers(e);
    }
    covers(s.leads);
    covers(s.lags);
  });

  it('dynamic effects: every event-study row is unbiased and covers its own effect; the pre-trend test rejects ≈ 5%', () => {
    const s = score('dynamic');
    unbiased(s.lags);
    unbiased(s.leads);
    covers(s.lags);
    covers(s.leads);
    covers(s.att);
    expect(s.preTrendRejects).toBeLessThanOrEqual(0.09);
    expect(s.preTrendRejects).toBeGreaterThanOrEqual(0.02);
  });

  it('staggered adoption with growing, cohort-specific effects: the ATT is unbiased and covers; TWFE is far off', () => {
    for (const design of ['staggered', 'no-never', 'unbalanced'] as const) {
      const s = score(design);
      unbiased(s.att);
      covers(s.att);
      covers(s.lags);
      unbiased(s.lags);
      // TWFE uses already-treated units, whose effects are still growing, as controls: biased down by > 1.
      expect(s.twfe.bias).toBeLessThan(-1);
      expect(Math.abs(s.twfe.bias)).toBeGreaterThan(20 * s.twfe.biasSe);
      expect(s.twfe.coverage).toBeLessThan(0.05);
      expect(s.preTrendRejects).toBeLessThanOrEqual(0.1);
    }
  });

  it('a planted pre-trend: the test rejects often and the leads are off zero', () => {
    const s = score('pretrend');
    expect(s.preTrendRejects).toBeGreaterThan(0.4);
    expect(s.leads.bias).toBeLessThan(-0.2);
  });
});
