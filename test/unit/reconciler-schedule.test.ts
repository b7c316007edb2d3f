import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { createReconciler } from '../../containers/shared/src/reconciler.js'
import { testLogger } from '../support/system.js'

/** Jobs whose retention step waits until released, recording each pass and what `stopped` said. */
function slowRetention() {
  const passes: string[] = []
  let release: () => void = () => undefined
  const jobs = {
    claimUnsent: async () => [],
    failOverdue: async () => [],
    async deleteFinished(_days: number, options: { stopped: () => boolean }) {
      passes.push('started')
      await new Promise<void>((resolve) => (release = resolve))
      passes.push(options.stopped() ? 'ended, told to stop' : 'ended')
      return 0
    },
  }
  return { jobs, passes, release: () => release() }
}

const settings = { intervalSeconds: 1, unsentAfterSeconds: 30, deadlineSeconds: 900, progressWindowSeconds: 60, messageRetentionSeconds: 345_600, retentionDays: 7 }

describe('the reconciler on its own schedule', () => {
  beforeEach(() => {
    jest.useFakeTimers()
  })
  afterEach(() => {
    jest.useRealTimers()
  })

  it('never starts a pass while the last is still running, however long it takes', async () => {
    const { jobs, passes, release } = slowRetention()
    const reconciler = createReconciler({ ...settings, upkeep: jobs, dispatcher: { dispatch: async () => ({ sent: [], refused: [] }) }, logger: testLogger })
    reconciler.start()
    await jest.advanceTimersByTimeAsync(10_000)
    expect(passes).toEqual(['started'])
    release()
    await jest.advanceTimersByTimeAsync(1_000)
    expect(passes).toEqual(['started', 'ended', 'started'])
    const stopping = reconciler.stop()
    release()
    await stopping
  })

  it('when stopped, tells the running pass to stop, waits for it, and starts none after', async () => {
    const { jobs, passes, release } = slowRetention()
    const reconciler = createReconciler({ ...settings, upkeep: jobs, dispatcher: { dispatch: async () => ({ sent: [], refused: [] }) }, logger: testLogger })
    reconciler.start()
    await jest.advanceTimersByTimeAsync(1_000)
    let stopped = false
    const stopping = reconciler.stop().then(() => (stopped = true))
    await jest.advanceTimersByTimeAsync(0)
    expect(stopped).toBe(false)
    release()
    await stopping
    await jest.advanceTimersByTimeAsync(10_000)
    expect(passes).toEqual(['started', 'ended, told to stop'])
  })
})
