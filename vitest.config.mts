import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    // The first run downloads DynamoDB Local (about 56 MB) during global setup.
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        // Pure functions, the memory engine and CDK assertions: no Java, no engines.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/infra/**/*.test.ts'] },
      },
      {
        extends: true,
        // One DynamoDB Local and S3 engine for the whole run, shared by every file.
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: [
            'test/support/global-setup.ts',
            'test/support/kafka-clients-setup.ts',
            'test/browser/chromium-setup.ts',
          ],
        },
      },
    ],
  },
})
