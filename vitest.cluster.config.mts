import { defineConfig } from 'vitest/config';

// The integration tier on the production Temporal server (v1.32.0) on PostgreSQL, with worker processes.
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/cluster/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 240_000,
    // The first run builds the server with go install (5 to 14 minutes); later runs find it in the cache.
    hookTimeout: 1_200_000,
  },
});
