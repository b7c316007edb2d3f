import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const shared = fileURLToPath(new URL('./containers/shared/src/index.ts', import.meta.url))

/** `npm test` runs every project but faults; `npm run test:faults` runs that one. */
export default defineConfig({
  // Tests import the services' TypeScript sources; the compiled dist/ is for images and real processes.
  resolve: { alias: { '@taskoverflow/shared': shared } },
  test: {
    // The SDK warns on Node 20 that releases from 2027 need Node 22; noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } },
      { extends: true, test: { name: 'stacks', include: ['test/stacks/**/*.test.ts'], setupFiles: ['test/stacks/setup.ts'], testTimeout: 30_000 } },
      { extends: true, test: { name: 'terraform', include: ['test/terraform/**/*.test.ts'], testTimeout: 240_000, hookTimeout: 120_000 } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      { extends: true, test: { name: 'faults', include: ['test/faults/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
})
