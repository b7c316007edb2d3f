import { describe, expect, it } from '@jest/globals'
import type { SQSClient } from '@aws-sdk/client-sqs'
import { QueueGauge } from '../../containers/api/src/services/queue-gauge.js'

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
  const fail = (message: string) => {
    for (const p of pending.splice(0)) p.reject(new Error(message))
  }
  return { sqs, asked, answer, fail }
}

describe('the queue gauge', () => {
  it('shares one question per queue among callers, and a reading until it is maxAgeMs old', async () => {
    let now = 1_000
    const { sqs, asked, answer } = fakeSqs()
    const gauge = new QueueGauge(sqs, 'https://sqs/1/ical', 'https://sqs/1/ical-dlq', 2_000, () => now)
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
    const gauge = new QueueGauge(sqs, 'https://sqs/1/ical', undefined, 2_000, () => now)
    const reading = gauge.read()
    fail('connect ECONNREFUSED')
    expect(await reading).toEqual({ checkedAt: new Date(0), error: "SQS could not be asked for the queue's counts: connect ECONNREFUSED" })
    now = 1_999
    await gauge.read()
    expect(asked).toEqual(['https://sqs/1/ical'])
  })
})
