import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // integration and e2e files each get their own database and queue prefix, so files may run in parallel
    fileParallelism: true,
    maxWorkers: 2,
  },
});
