import { defineConfig } from 'vitest/config';

/*
 * Two projects (vitest.dev/guide/projects), both inheriting the options below (`extends: true`):
 * - unit: test/unit, pure code only; no database, no Redis, no global setup (`npm run test:unit`).
 * - integration: test/integration, test/e2e and test/faults, on real Postgres and Redis. Its global setup
 *   creates the run's migrated template database, which each file clones.
 * - browser: test/browser, the sandbox (`npm run sandbox`) driven in Debian's chromium by playwright-core, on
 *   real Postgres and Redis like integration (`npm run test:browser`).
 * `npm test` runs all three.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // integration and e2e files each get their own database and queue prefix, so files may run in parallel
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/faults/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], globalSetup: ['test/support/global-setup.ts'], testTimeout: 90_000, hookTimeout: 120_000 },
      },
    ],
  },
});
