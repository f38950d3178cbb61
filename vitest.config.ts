import { defineConfig } from 'vitest/config';

// Integration tests start real processes (HAProxy, app servers, load workers) and contend for the
// 2 cores: run files one at a time so that timing assertions are not skewed by a sibling test.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/kubernetes-live/**', 'node_modules/**'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // The default summary, then every skipped test with the reason in its name (missing shared/ data, chromium, k6).
    reporters: ['default', './test/helpers/skip-reporter.ts'],
  },
});
