import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const shared = fileURLToPath(new URL('./containers/shared/src/index.ts', import.meta.url))

/** Tests import the services' TypeScript sources; the compiled `dist/` is only for images and real processes. */
const resolve = { alias: { '@taskoverflow/shared': shared } }

export default defineConfig({
  resolve,
  test: {
    projects: [
      { resolve, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { resolve, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } },
      { resolve, test: { name: 'stacks', include: ['test/stacks/**/*.test.ts'], testTimeout: 30_000 } },
      { resolve, test: { name: 'terraform', include: ['test/terraform/**/*.test.ts'], testTimeout: 240_000, hookTimeout: 120_000 } },
      { resolve, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      {
        resolve,
        test: { name: 'faults', include: ['test/faults/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 120_000, fileParallelism: false },
      },
    ],
  },
})
