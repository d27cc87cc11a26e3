import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (foo.ts + foo.test.ts) and run in Node.
// Engine tests use the cpu and wasm tfjs backends; browser tests live in e2e/ (Playwright).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
