/**
 * A minute of 16 clients exporting and editing on `npm start`, with the calendar storage bounded
 * small: every accepted export ends, the stored calendars stay within the bound (counted right),
 * the worker's memory does not grow, and nothing answers 5xx. `npm run bench -- --only soak` runs
 * the same for ten minutes and records its figures.
 */
import { describe, expect, it } from '@jest/globals'
import { runSoak } from '../support/soak.js'

describe('a minute of exports and edits with the storage bound small', () => {
  it('ends every accepted export, keeps within the bound, and holds the worker\'s memory', async () => {
    const soak = await runSoak({ durationMs: 60_000 })
    expect(soak.accepted).toBeGreaterThan(100)
    expect({ unfinished: soak.unfinished, failed: soak.failed, serverErrors: soak.serverErrorSamples }).toEqual({ unfinished: 0, failed: 0, serverErrors: [] })
    expect(soak.succeeded + soak.evicted).toBe(soak.accepted)
    // Most exports made room: the bound was reached and held.
    expect(soak.maxStoredBytes).toBeLessThanOrEqual(soak.boundBytes)
    expect(soak.maxStoredBytes).toBeGreaterThan(soak.boundBytes / 2)
    expect(soak.counted.counter).toBe(soak.counted.summed)
    // Flat, not growing with the calendars made: a bound wide enough for a collector's swings.
    expect(soak.workerRssMb.last).toBeLessThanOrEqual(soak.workerRssMb.warm * 1.5)
  }, 240_000)
})
