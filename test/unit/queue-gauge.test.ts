import { describe, expect, it, jest } from '@jest/globals'
import type { SQSClient } from '@aws-sdk/client-sqs'
import { createLogger } from '@taskoverflow/shared'
import { QUEUE_COUNTS_UNAVAILABLE, QueueGauge } from '../../containers/api/src/services/queue-gauge.js'

const silent = createLogger('test', 'silent')

/** An SQS client that answers GetQueueAttributes when told to, counting the questions. */
function fakeSqs() {
  const asked: string[] = []
  const pending: Array<{ resolve: (value: unknown) => void; reject: (err: Error) => void }> = []
  const sqs = {
    send: (command: { input: { QueueUrl: string } }) => {
      asked.push(command.input.QueueUrl)
      return new Promise((resolve, reject) => pending.push({ resolve, reject }))
    },
  } as unknown as SQSClient
  const answer = (available: number) => {
    for (const p of pending.splice(0)) p.resolve({ Attributes: { ApproximateNumberOfMessages: String(available), ApproximateNumberOfMessagesNotVisible: '1', ApproximateNumberOfMessagesDelayed: '0' } })
  }
  const fail = (message: string, name = 'Error') => {
    for (const p of pending.splice(0)) p.reject(Object.assign(new Error(message), { name }))
  }
  return { sqs, asked, answer, fail }
}

describe('the queue gauge', () => {
  it('shares one question per queue among callers, and a reading until it is maxAgeMs old', async () => {
    let now = 1_000
    const { sqs, asked, answer } = fakeSqs()
    const gauge = new QueueGauge(sqs, 'https://sqs/1/ical', 'https://sqs/1/ical-dlq', silent, 2_000, () => now)
    const readings = [gauge.read(), gauge.read(), gauge.read()]
    expect(asked).toEqual(['https://sqs/1/ical', 'https://sqs/1/ical-dlq'])
    now = 1_500 // SQS took 500 ms to answer
    answer(3)
    const [first] = await Promise.all(readings)
    expect(first).toEqual({
      checkedAt: new Date(1_500),
      jobs: { name: 'ical', available: 3, inFlight: 1, delayed: 0 },
      deadLetter: { name: 'ical-dlq', available: 3, inFlight: 1, delayed: 0 },
    })
    // Fresh for 2 s from the answer, not from the question.
    now = 3_499
    expect(await gauge.read()).toBe(first)
    expect(asked).toHaveLength(2)
    now = 3_500
    const next = gauge.read()
    expect(asked).toHaveLength(4)
    answer(4)
    expect(await next).toMatchObject({ jobs: { available: 4 } })
  })

  it('keeps a failure as long as a reading, so a queue that is away is not hammered', async () => {
    let now = 0
    const { sqs, asked, fail } = fakeSqs()
    const gauge = new QueueGauge(sqs, 'https://sqs/1/ical', undefined, silent, 2_000, () => now)
    const reading = gauge.read()
    fail('connect ECONNREFUSED')
    expect(await reading).toEqual({ checkedAt: new Date(0), error: QUEUE_COUNTS_UNAVAILABLE })
    now = 1_999
    await gauge.read()
    expect(asked).toEqual(['https://sqs/1/ical'])
  })

  it("answers a fixed sentence on its public endpoint and keeps SQS's words, which name the account and role, for the log", async () => {
    const logger = createLogger('test', 'silent')
    const warn = jest.spyOn(logger, 'warn')
    const { sqs, fail } = fakeSqs()
    const gauge = new QueueGauge(sqs, 'https://sqs/123456789012/ical', undefined, logger, 2_000, () => 0)
    const reading = gauge.read()
    const denied = 'User: arn:aws:sts::123456789012:assumed-role/LabRole/abc is not authorized to perform: sqs:getqueueattributes on resource: arn:aws:sqs:us-east-1:123456789012:ical'
    fail(denied, 'AccessDenied')
    const answer = await reading
    expect(answer).toEqual({ checkedAt: new Date(0), error: QUEUE_COUNTS_UNAVAILABLE })
    expect(JSON.stringify(answer)).not.toMatch(/123456789012|LabRole|arn:/)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(JSON.stringify(warn.mock.calls[0])).toContain('AccessDenied')
    expect(JSON.stringify(warn.mock.calls[0])).toContain(denied)
  })
})
