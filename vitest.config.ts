import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One test file per core (vitest's default leaves one core idle): on the 2-core CI machine the suite takes
    // ≈ 260 s instead of ≈ 410 s.
    maxWorkers: Math.max(1, availableParallelism()),
  },
});
