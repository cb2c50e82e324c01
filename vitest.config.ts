import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// One runner for the whole repository. SWC (not esbuild) transpiles so that NestJS gets the
// decorator metadata its dependency injection reads; the `@traceport/source` condition makes
// workspace libs resolve to their TypeScript sources, so tests never need a prior build.
const shared = {
  plugins: [
    swc.vite({
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      },
      module: { type: 'es6' },
    }),
  ],
  // Vitest runs Node-side code through Vite's SSR pipeline, which reads ssr.resolve.conditions.
  resolve: { conditions: ['@traceport/source'] },
  ssr: { resolve: { conditions: ['@traceport/source'] } },
};

export default defineConfig({
  test: {
    env: { TZ: 'UTC' },
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: ['apps/*/src/**/*.spec.ts', 'libs/*/src/**/*.spec.ts', 'deploy/**/*.spec.ts'],
        },
      },
      {
        ...shared,
        test: {
          // Types and lint for the whole repository, counted like any other test.
          name: 'static',
          include: ['test/repo/**/*.test.ts'],
          testTimeout: 240_000,
        },
      },
      {
        ...shared,
        test: {
          // Service tests talk to the real PostgreSQL, Kafka and chain that ./traceport test starts.
          name: 'service',
          include: ['apps/*/test/**/*.test.ts', 'libs/*/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        ...shared,
        test: {
          // Cross-service flows against the platform started by ./traceport.
          name: 'e2e',
          include: ['test/**/*.e2e.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
