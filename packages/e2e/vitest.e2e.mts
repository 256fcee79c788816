import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.mjs';

// The session runs for minutes and must not share the 2 cores with a second test file.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      fileParallelism: false,
      testTimeout: 420_000,
      hookTimeout: 120_000,
    },
  }),
);
