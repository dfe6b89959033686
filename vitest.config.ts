import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = { '~': fileURLToPath(new URL('./app', import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'app/**/*.test.ts', 'db/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/drills/**', 'node_modules/**'],
          globalSetup: ['test/helpers/global-setup.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { NODE_ENV: 'test' },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          // Drills (crash, fuzz, concurrency) start the built server too, so they run with the e2e tests.
          include: ['test/e2e/**/*.test.ts', 'test/drills/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          environment: 'node',
          // One browser at a time: CI has two cores.
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          env: { NODE_ENV: 'test' },
        },
      },
    ],
  },
});
