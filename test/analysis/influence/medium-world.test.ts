/**
 * Issue 6's acceptance on the medium synthetic world (100k accounts, ≈ 50k posts by 10k authors, ≈ 300k sales),
 * several seeds: ρ(estimate, planted persuasion) ≥ 0.8 while ρ(followers, planted) ≤ 0.3; 90% intervals cover the
 * planted mean lift per post for 80–97% of accounts with ≥ 5 posts; the celebrity has the most followers and an
 * interval that includes 0; the planted framing multipliers lie inside their intervals and endorsement > pitch; the
 * share caused and P(click | caused) inside theirs. About 90 s a seed on a 2-core machine, so it runs only when
 * CLOUT_SLOW=1 (`CLOUT_SLOW=1 npx vitest run test/analysis/influence/medium-world.test.ts`); `npm run check:influence` prints the
 * same checks.
 */
import { describe, expect, it } from 'vitest';
import { checkInfluenceWorld, dropWorld } from '../../../bench/influence-world.js';

describe.skipIf(!process.env.CLOUT_SLOW)('outcome influence on the medium world (CLOUT_SLOW=1)', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: every acceptance check holds`, async () => {
      const { checks } = await checkInfluenceWorld('medium', seed, 400, { print: false }).finally(() => dropWorld('medium', seed));
      for (const [name, ok, value] of checks) expect(ok, `${name}: ${value}`).toBe(true);
    }, 600_000);
  }
});
