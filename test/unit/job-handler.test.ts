import { describe, expect, it, jest } from '@jest/globals'
import type { ReceivedJob } from '@taskoverflow/shared'
import { PasswordUnavailableError } from '../../containers/shared/src/db.js'
import { createJobHandler, type JobHandlerDeps } from '../../containers/worker/src/job-handler.js'
import { testLogger } from '../support/system.js'

const calendar = { calendar: 'BEGIN:VCALENDAR', eventCount: 1, skippedCount: 0 }

function deps(overrides: { startable?: string[]; succeed?: JobHandlerDeps['jobs']['succeed'] } = {}) {
  const jobs = {
    start: jest.fn(async (jobs: readonly ReceivedJob[], _worker: string) => new Set(jobs.map((j) => j.jobId).filter((id) => overrides.startable?.includes(id) ?? true))),
    succeed: jest.fn(overrides.succeed ?? (async (ids: readonly string[]) => stored(ids))),
    fail: jest.fn(async (_id: string, _message: string, _worker?: string) => true),
    retrying: jest.fn(async (_id: string, _attempt: number, _message: string, _worker: string) => undefined),
  }
  const todos = { listForCalendar: jest.fn(async () => [{ id: 1, title: 't', description: null, deadline_at: '2023-01-01T00:00:00', updated_at: '2022-12-01T00:00:00' }]) }
  const buildCalendar = jest.fn(() => calendar)
  return { jobs, todos, buildCalendar, logger: testLogger, worker: 'w1', maxReceives: 3 }
}

const job = (jobId: string, attempt = 1) => ({ jobId, attempt })
const stored = (ids: readonly string[]) => ({ finished: ids.length, evicted: { calendars: 0, jobs: 0, bytes: 0 } })

describe('the job handler', () => {
  it('builds one calendar from one snapshot for the whole batch, and stores it for every job at once', async () => {
    const d = deps()
    const outcomes = await createJobHandler(d)([job('a'), job('b'), job('c')])
    expect([...outcomes.values()]).toEqual([
      { ok: true, outcome: 'succeeded' },
      { ok: true, outcome: 'succeeded' },
      { ok: true, outcome: 'succeeded' },
    ])
    expect(d.todos.listForCalendar).toHaveBeenCalledTimes(1)
    expect(d.buildCalendar).toHaveBeenCalledTimes(1)
    expect(d.jobs.start.mock.calls).toEqual([[[job('a'), job('b'), job('c')], 'w1']])
    expect(d.jobs.succeed.mock.calls).toEqual([[['a', 'b', 'c'], calendar, 'w1', undefined]])
  })

  it('acknowledges finished or unknown jobs without doing their work again', async () => {
    const d = deps({ startable: ['b'] })
    const outcomes = await createJobHandler(d)([job('a', 2), job('b')])
    expect(outcomes.get('a')).toEqual({ ok: true, outcome: 'already-finished' })
    expect(d.jobs.succeed.mock.calls).toEqual([[['b'], calendar, 'w1', undefined]])
  })

  it('does nothing at all when every job is already finished', async () => {
    const d = deps({ startable: [] })
    await createJobHandler(d)([job('a')])
    expect(d.todos.listForCalendar).not.toHaveBeenCalled()
  })

  it('when the batch cannot be stored, tries each job alone so one bad job fails by itself', async () => {
    const d = deps({
      succeed: async (ids) => {
        if (ids.includes('bad')) throw new Error('refused')
        return stored(ids)
      },
    })
    const outcomes = await createJobHandler(d)([job('a'), job('bad', 3), job('c')])
    expect(outcomes.get('a')).toEqual({ ok: true, outcome: 'succeeded' })
    expect(outcomes.get('c')).toEqual({ ok: true, outcome: 'succeeded' })
    expect(outcomes.get('bad')).toMatchObject({ ok: false, error: new Error('refused') })
    expect(d.jobs.fail.mock.calls).toEqual([['bad', 'refused', 'w1']])
  })

  it('reports a failure for the queue to retry, recording FAILURE only on the last attempt', async () => {
    const d = deps()
    d.buildCalendar.mockImplementation(() => {
      throw new Error('disk on fire')
    })
    const handle = createJobHandler(d)
    expect((await handle([job('a', 2)])).get('a')).toMatchObject({ ok: false })
    expect(d.jobs.fail).not.toHaveBeenCalled()
    // The timeline says it will be tried again, and why.
    expect(d.jobs.retrying.mock.calls).toEqual([['a', 2, 'disk on fire', 'w1']])
    await handle([job('a', 3)])
    expect(d.jobs.fail).toHaveBeenCalledWith('a', 'disk on fire', 'w1')
    expect(d.jobs.retrying).toHaveBeenCalledTimes(1)
  })

  it('never records FAILURE because the database is down, even on the last attempt', async () => {
    const d = deps()
    d.todos.listForCalendar.mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
    const outcome = (await createJobHandler(d)([job('a', 3)])).get('a')
    expect(outcome).toMatchObject({ ok: false })
    expect(d.jobs.fail).not.toHaveBeenCalled()
    expect(d.jobs.retrying).not.toHaveBeenCalled()
  })

  it.each([
    ['the database refuses the password (28P01)', Object.assign(new Error('password authentication failed'), { code: '28P01' })],
    ['the database refuses the login (28000)', Object.assign(new Error('no entry for host'), { code: '28000' })],
    ['the password cannot be read', new PasswordUnavailableError(new Error('AccessDeniedException'))],
  ])('never spends an attempt, or records FAILURE, because %s, even on the last attempt', async (_what, err) => {
    for (const fails of ['start', 'listForCalendar', 'succeed'] as const) {
      const d = deps()
      if (fails === 'listForCalendar') d.todos.listForCalendar.mockRejectedValue(err)
      else d.jobs[fails].mockRejectedValue(err)
      const outcomes = await createJobHandler(d)([job('a', 3), job('b', 3)])
      expect([...outcomes.values()]).toEqual([{ ok: false, error: err }, { ok: false, error: err }])
      expect(d.jobs.fail).not.toHaveBeenCalled()
      expect(d.jobs.retrying).not.toHaveBeenCalled()
      // The whole batch fails as one: no job is tried alone against a database that refuses us.
      expect(d.jobs.succeed.mock.calls.length).toBeLessThanOrEqual(1)
    }
  })

  it('shows a batch STARTED through its artificial delay, which it waits once for the whole batch', async () => {
    jest.useFakeTimers()
    try {
      const d = { ...deps(), delayMs: 20_000 }
      const done = createJobHandler(d)([job('a'), job('b'), job('c')])
      await jest.advanceTimersByTimeAsync(0)
      expect(d.jobs.start).toHaveBeenCalledTimes(1)
      await jest.advanceTimersByTimeAsync(19_999)
      expect(d.jobs.succeed).not.toHaveBeenCalled()
      await jest.advanceTimersByTimeAsync(1)
      expect(d.jobs.succeed).toHaveBeenCalledTimes(1)
      expect(d.jobs.succeed.mock.calls[0]![0]).toEqual(['a', 'b', 'c'])
      expect([...(await done).values()].every((outcome) => outcome.ok)).toBe(true)
    } finally {
      jest.useRealTimers()
    }
  })

  it('waits the configured artificial delay before working', async () => {
    jest.useFakeTimers()
    try {
      const d = { ...deps(), delayMs: 50_000 }
      const done = createJobHandler(d)([job('a')])
      await jest.advanceTimersByTimeAsync(49_000)
      expect(d.jobs.succeed).not.toHaveBeenCalled()
      await jest.advanceTimersByTimeAsync(1_000)
      expect((await done).get('a')).toEqual({ ok: true, outcome: 'succeeded' })
    } finally {
      jest.useRealTimers()
    }
  })
})
