/**
 * A short, seeded run of the fuzzer in npm test (the 10,000-request run is a fault test): the
 * same seed every run, so a failure replays; FUZZ_SEED=N tries another.
 */
import http from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { acceptable, fuzzSeed, request, sender } from '../support/fuzz-requests.js'
import { startTestSystem, type TestSystem } from '../support/system.js'

const RUNS = 400
let system: TestSystem
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })

beforeAll(async () => {
  system = await startTestSystem({}, { trustProxy: true })
  await system.pool.query("INSERT INTO todos (title) SELECT 'todo ' || i FROM generate_series(1, 20) AS i")
})
afterAll(async () => {
  agent.destroy()
  await system?.close()
})

describe(`a short seeded fuzz: ${RUNS} random and malformed requests`, () => {
  it('never gets a 5xx, and every API error is JSON', async () => {
    const send = sender(new URL(system.apiUrl), agent)
    await fc.assert(
      fc.asyncProperty(request, async (req) => acceptable(req, await send(req))),
      { numRuns: RUNS, seed: fuzzSeed(6400), endOnFailure: true },
    )
    expect((await fetch(`${system.apiUrl}/health`)).status).toBe(200)
  })
})
