// Issue 21's acceptance in small (the full study is `npm run check:compare`): 200 replications of 400 units per
// design, confounded so that big accounts get the shout-out more and do better anyway. The naive difference must be
// far off; matching, IPW and AIPW must recover the planted ATT where their assumptions hold, with 95% intervals
// covering it in 90–99% of replications (the acceptance band 92–98% widened by the Monte Carlo error of 200
// replications, ±1.5 points); AIPW must stay unbiased with a wrong outcome model and with a wrong score model;
// matching must balance every covariate on average.
import { describe, expect, it } from 'vitest';
import { compareGroups } from '../../../src/analysis/compare/index.js';
import { scoreCompare, type CompareDesign, type DesignScore } from '../../../bench/compare-designs.js';

const REPS = 200, N = 400;
const score = (design: CompareDesign): DesignScore => scoreCompare(design, N, REPS, 'att', (data, r) => compareGroups(data, { bootstrap: 0, seed: r + 1 }), 7);
const method = (s: DesignScore, name: string) => s.methods.find((m) => m.method === name)!;

describe('planted effects, confounded designs (ATT)', () => {
  it('constant effect: naive biased; matching, IPW and AIPW unbiased and calibrated; matching balances', () => {
    const s = score('constant');
    expect(method(s, 'naive').bias).toBeGreaterThan(1);
    expect(method(s, 'naive').coverage).toBeLessThan(0.2);
    for (const name of ['matching', 'ipw', 'aipw']) {
      const m = method(s, name);
      expect(Math.abs(m.bias), name).toBeLessThan(3 * (m.rmse / Math.sqrt(REPS)) + 0.02);
      expect(m.coverage, name).toBeGreaterThanOrEqual(0.9);
      expect(m.coverage, name).toBeLessThanOrEqual(0.99);
    }
    for (const [cov, v] of Object.entries(s.meanAbsSmd)) expect(v, cov).toBeLessThan(0.1);
    for (const [cov, v] of Object.entries(s.meanSmd)) expect(Math.abs(v), cov).toBeLessThan(0.05);
  });

  it('wrong outcome model, right score: AIPW and IPW stay unbiased and calibrated', () => {
    const s = score('outcome_misspecified');
    expect(method(s, 'naive').bias).toBeGreaterThan(1);
    for (const name of ['ipw', 'aipw']) {
      const m = method(s, name);
      expect(Math.abs(m.bias), name).toBeLessThan(3 * (m.rmse / Math.sqrt(REPS)) + 0.02);
      expect(m.coverage, name).toBeGreaterThanOrEqual(0.9);
      expect(m.coverage, name).toBeLessThanOrEqual(0.99);
    }
  });

  it('wrong score model, right outcome model: AIPW stays unbiased and calibrated while IPW is biased', () => {
    const s = score('score_misspecified');
    const aipw = method(s, 'aipw'), ipw = method(s, 'ipw');
    expect(Math.abs(aipw.bias)).toBeLessThan(3 * (aipw.rmse / Math.sqrt(REPS)) + 0.02);
    expect(aipw.coverage).toBeGreaterThanOrEqual(0.9);
    expect(aipw.coverage).toBeLessThanOrEqual(0.99);
    // the contrast that shows the test has teeth: the same data fool IPW
    expect(ipw.bias).toBeGreaterThan(0.2);
  });
});
