import { describe, expect, it, vi } from 'vitest'
import type { IcalJobRepository } from '@taskoverflow/shared'
import { createJobHandler } from '../../containers/worker/src/job-handler.js'
import { testLogger } from '../support/system.js'

function jobsStub(canStart: boolean) {
  return {
    start: vi.fn(async () => canStart),
    succeed: vi.fn(async () => true),
    fail: vi.fn(async () => true),
  } as unknown as IcalJobRepository & Record<'start' | 'succeed' | 'fail', ReturnType<typeof vi.fn>>
}

const todos = { listForCalendar: vi.fn(async () => [{ id: 1, title: 't', description: null, deadline_at: '2023-01-01T00:00:00' }]) }
const calendar = { calendar: 'BEGIN:VCALENDAR', eventCount: 1, skippedCount: 0 }

describe('the job handler', () => {
  it('builds and stores the calendar of a job it could start', async () => {
    const jobs = jobsStub(true)
    const buildCalendar = vi.fn(() => calendar)
    const handle = createJobHandler({ jobs, todos, buildCalendar, logger: testLogger, maxAttempts: 3 })
    await expect(handle({ jobId: 'a', attempt: 1 })).resolves.toBe('succeeded')
    expect(jobs.succeed).toHaveBeenCalledWith('a', calendar)
  })

  it('acknowledges a finished or unknown job without doing the work again', async () => {
    const jobs = jobsStub(false)
    const buildCalendar = vi.fn(() => calendar)
    const handle = createJobHandler({ jobs, todos, buildCalendar, logger: testLogger, maxAttempts: 3 })
    await expect(handle({ jobId: 'a', attempt: 2 })).resolves.toBe('already-finished')
    expect(buildCalendar).not.toHaveBeenCalled()
    expect(jobs.succeed).not.toHaveBeenCalled()
  })

  it('rethrows a failure for the queue to retry, recording FAILURE only on the last attempt', async () => {
    const jobs = jobsStub(true)
    const buildCalendar = vi.fn(() => {
      throw new Error('disk on fire')
    })
    const handle = createJobHandler({ jobs, todos, buildCalendar, logger: testLogger, maxAttempts: 3 })
    await expect(handle({ jobId: 'a', attempt: 2 })).rejects.toThrow('disk on fire')
    expect(jobs.fail).not.toHaveBeenCalled()
    await expect(handle({ jobId: 'a', attempt: 3 })).rejects.toThrow('disk on fire')
    expect(jobs.fail).toHaveBeenCalledWith('a', 'disk on fire')
  })

  it('waits the configured artificial delay before working', async () => {
    vi.useFakeTimers()
    try {
      const jobs = jobsStub(true)
      const handle = createJobHandler({ jobs, todos, buildCalendar: () => calendar, logger: testLogger, maxAttempts: 3, delayMs: 50_000 })
      const done = handle({ jobId: 'a', attempt: 1 })
      await vi.advanceTimersByTimeAsync(49_000)
      expect(jobs.succeed).not.toHaveBeenCalled()
      await vi.advanceTimersByTimeAsync(1_000)
      await expect(done).resolves.toBe('succeeded')
    } finally {
      vi.useRealTimers()
    }
  })
})
