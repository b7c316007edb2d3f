import { Testing } from 'cdktf'
import { expect } from 'vitest'

// cdktf's matchers extend the global `expect` (written for Jest); vitest's is compatible.
;(globalThis as { expect?: unknown }).expect = expect
Testing.setupJest()
