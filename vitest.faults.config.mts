import { defineConfig } from 'vitest/config';

// The fault suite: workers killed, the Temporal server restarted, the database cut off. Slower; run on demand.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
