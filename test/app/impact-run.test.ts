/** The backtest in a worker thread beside the main fit gives exactly the single-thread result. */
import { describe, expect, it } from 'vitest';
import { causalImpact } from '../../src/analysis/impact/index.js';
import { runImpact } from '../../src/app/impact-run.js';
import { simulateDesign } from '../../bench/impact-designs.js';

describe('runImpact', () => {
  it('returns what causalImpact returns, with the backtest run in a worker thread', async () => {
    const s = simulateDesign('seasonal', 5, 3);
    const options = { niter: 300, seed: 9, seasons: 7 };
    const threaded = await runImpact(s.data, options);
    expect(threaded).toEqual(causalImpact(s.data, options));
    expect(threaded.calibration!.coverage).not.toBeNull();
    const off = await runImpact(s.data, { ...options, backtest: false });
    expect(off.calibration!.note).toBe('backtest turned off');
    expect(off.cumulative).toEqual(threaded.cumulative);
  });

  it('answers bad input with the error, not a hang or a stray rejection', async () => {
    await expect(runImpact({ y: [1, 2, 3, 4], pre: [0, 2], post: [3, 3] }, { niter: 10, bogus: 1 } as never)).rejects.toThrow(/unknown option/);
    const y = Array.from({ length: 40 }, (_, t) => t % 5);
    y[35] = NaN; // missing in the post period: both the fit and the backtest refuse it
    await expect(runImpact({ y, pre: [0, 29], post: [30, 39] }, { niter: 50 })).rejects.toThrow(/missing at row 35 in the post period/);
  });
});
