import { describe, expect, it, jest } from '@jest/globals'
import type { WorkerCounters } from '@taskoverflow/shared'
import { createStatsPublisher, WorkerStats } from '../../containers/worker/src/stats.js'
import { testLogger } from '../support/system.js'

describe("the worker's counters", () => {
  it('count receives, empty ones, and the empty ones of the last minute only', () => {
    let now = 0
    const stats = new WorkerStats('w1', () => now)
    stats.emptyReceive()
    now = 30_000
    stats.received(3)
    stats.handled(2)
    stats.retried(1)
    stats.emptyReceive()
    now = 61_000 // the first empty receive is now more than a minute old
    expect(stats.counters()).toMatchObject({ worker: 'w1', receives: 3, emptyReceives: 2, emptyReceivesLastMinute: 1, messagesReceived: 3, handled: 2, retries: 1 })
  })

  it('are written when they change, and unchanged only every 30 s, so an idle worker writes little', async () => {
    jest.useFakeTimers()
    try {
      const written: WorkerCounters[] = []
      const repository = {
        publishWorker: jest.fn(async (counters: WorkerCounters) => void written.push(counters)),
        removeWorkers: jest.fn(async () => undefined),
      }
      const stats = new WorkerStats('w1')
      const publisher = createStatsPublisher(stats, repository, 5_000, testLogger)
      publisher.start()
      await jest.advanceTimersByTimeAsync(0)
      expect(written).toHaveLength(1) // at once, so the page shows a new worker
      await jest.advanceTimersByTimeAsync(10_000)
      expect(written).toHaveLength(1) // nothing changed
      stats.emptyReceive()
      await jest.advanceTimersByTimeAsync(5_000)
      expect(written.map((c) => c.emptyReceives)).toEqual([0, 1])
      await jest.advanceTimersByTimeAsync(25_000)
      expect(written).toHaveLength(2)
      await jest.advanceTimersByTimeAsync(5_000)
      expect(written).toHaveLength(3) // unchanged, but 30 s on: written again to show it lives
      // A minute of an idle worker's three long polls: three writes, not twelve.
      const before = written.length
      for (let i = 0; i < 3; i++) {
        stats.emptyReceive()
        await jest.advanceTimersByTimeAsync(20_000)
      }
      expect(written.length - before).toBe(3)
      await publisher.stop()
      expect(repository.removeWorkers).toHaveBeenCalledTimes(2)
    } finally {
      jest.useRealTimers()
    }
  })
})
