// One vitest setup for every package: resolve workspace packages to their TypeScript
// source (the "source" export condition), and write a JSON report that the root
// `pnpm test` sums into one "tests: N passed, N failed" line.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
