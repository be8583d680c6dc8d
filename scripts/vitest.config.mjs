import { defineConfig } from 'vitest/config';

/** The repository-level tests in scripts/ (after every package is built); the JSON report joins the total of `pnpm test`. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.test.mjs'],
    testTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
  },
});
