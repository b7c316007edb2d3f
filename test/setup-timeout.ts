import { jest } from '@jest/globals'

// Each project's timeout for its tests and hooks, from its `globals` in jest.config.js.
const timeout = (globalThis as { TEST_TIMEOUT_MS?: number }).TEST_TIMEOUT_MS
if (!timeout) throw new Error('jest.config.js gives every project globals.TEST_TIMEOUT_MS')
jest.setTimeout(timeout)
