import { defineConfig } from 'vitest/config';

// The opt-in suite against a real cluster (KUBECONFIG): `npm run test:k8s`. Excluded from the default run
// (vitest.config.ts). Images are pulled and meshes inject pods, so timeouts are minutes, not seconds.
export default defineConfig({
  test: {
    include: ['test/kubernetes-live/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 20 * 60_000,
    hookTimeout: 10 * 60_000,
  },
});
