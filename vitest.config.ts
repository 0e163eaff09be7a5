import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const sourceOf = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run the workspaces' TypeScript sources, not their builds.
    alias: [
      { find: /^@daytwo\/k8s\/(.*)\.js$/, replacement: `${sourceOf('k8s')}/$1.ts` },
      { find: /^@daytwo\/sim\/(.*)\.js$/, replacement: `${sourceOf('sim')}/$1.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The default output, plus a line for each test that passed only on a retry.
    reporters: ['default', './packages/daytwo/test/setup/retry-reporter.ts'],
    setupFiles: ['packages/daytwo/test/setup/interactive-terminal.ts'],
  },
});
