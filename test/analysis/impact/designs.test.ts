/**
 * The default engine (the level's drift learned from the pre-period) against R's model on series from designs
 * neither assumes (bench/impact-designs.ts), with planted effects: where the level drifts or trends, R's default
 * intervals miss the truth about half the time and the learned drift covers it; where the level is steady, both
 * cover and keep false positives low. A smaller run of `npm run check:impact-calibration` (100 series per design),
 * whose figures are in docs/impact.md.
 */
import { describe, expect, it } from 'vitest';
import { causalImpact } from '../../../src/analysis/impact/index.js';
import { scoreDesign, type Design } from '../../../bench/impact-designs.js';

const SERIES = 24;
const run = (design: Design, extra: object) =>
  scoreDesign(design, SERIES, 5, (s, i) => causalImpact(s.data, { niter: 300, seed: i + 1, seasons: s.seasons, backtest: false, ...extra }));

describe('calibration on designs the model does not assume', () => {
  it('covers drifting and trending levels where R’s default does not', () => {
    for (const design of ['drift', 'trend'] as const) {
      const clout = run(design, {});
      const r = run(design, { r_defaults: true });
      expect(clout.coverage, design).toBeGreaterThanOrEqual(0.75);
      expect(clout.coverage, design).toBeGreaterThanOrEqual(r.coverage + 0.2);
      expect(clout.falsePositives, design).toBeLessThan(r.falsePositives);
      expect(r.coverage, design).toBeLessThan(0.75); // the failure the default fixes is there to be fixed
    }
  });

  it('covers steady, seasonal, weak-control and heavy-tailed series and keeps false positives low', () => {
    for (const design of ['steady', 'seasonal', 'weak_control', 'heavy_tails'] as const) {
      const clout = run(design, {});
      expect(clout.coverage, design).toBeGreaterThanOrEqual(0.85);
      expect(clout.falsePositives, design).toBeLessThanOrEqual(2 / 12);
      expect(clout.power, design).toBeGreaterThan(0.3);
    }
  });
});
