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
    // Test files in one worker share its loaded modules (DuckDB's native binding, Fastify, the kernels) instead of
    // importing them afresh per file: module import time falls from ≈ 98 s to ≈ 16 s per run and the suite from
    // ≈ 430 s to ≈ 370 s on the 2-core CI machine. No test mocks modules or changes globals, which this relies on.
    isolate: false,
  },
});
