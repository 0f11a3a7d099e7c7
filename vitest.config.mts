import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/browser/chromium-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    // The first run downloads DynamoDB Local (about 56 MB) during global setup.
    hookTimeout: 120_000,
  },
})
