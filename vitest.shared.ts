import { defineConfig } from 'vitest/config';

/** Shared by every package's `vitest.config.ts`; the JSON report feeds the total that `pnpm test` prints. */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
  },
});
