import type { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs'
import { describe, expect, it, jest } from '@jest/globals'
import { JobQueue } from '@taskoverflow/shared'

const ids = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)

function stubSqs(answer: (command: SendMessageBatchCommand) => Promise<unknown>) {
  const send = jest.fn(answer)
  return { sqs: { send } as unknown as SQSClient, send }
}

describe('the job queue', () => {
  it('sends jobs queued in the same tick as one batch, ten at most per request', async () => {
    const { sqs, send } = stubSqs(async () => ({ Successful: [], Failed: [] }))
    const queue = new JobQueue(sqs, 'https://sqs.example/ical')
    await Promise.all(ids(23).map((id) => queue.send(id)))
    expect(send.mock.calls.map(([command]) => command.input.Entries!.length)).toEqual([10, 10, 3])
    const bodies = send.mock.calls.flatMap(([command]) => command.input.Entries!.map((e) => JSON.parse(e.MessageBody!).jobId))
    expect(bodies).toEqual(ids(23))
  })

  it('sends a lone job at once, without waiting for company', async () => {
    const { sqs, send } = stubSqs(async () => ({}))
    await new JobQueue(sqs, 'q').send(ids(1)[0]!)
    expect(send).toHaveBeenCalledTimes(1)
  })

  it('fails only the sends SQS refused', async () => {
    const { sqs } = stubSqs(async () => ({ Failed: [{ Id: '1', Code: 'InvalidMessageContents', SenderFault: true }] }))
    const queue = new JobQueue(sqs, 'q')
    const results = await Promise.allSettled(ids(3).map((id) => queue.send(id)))
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/InvalidMessageContents/)
  })

  it('fails every send of a batch when SQS cannot be reached', async () => {
    const { sqs } = stubSqs(async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    })
    const queue = new JobQueue(sqs, 'q')
    const results = await Promise.allSettled(ids(4).map((id) => queue.send(id)))
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
  })

  it('tells its hook, once per batch and before the sends resolve, which jobs SQS accepted', async () => {
    const { sqs } = stubSqs(async (command) => ({ Failed: command.input.Entries!.length === 10 ? [{ Id: '1', Code: 'InternalError', SenderFault: false }] : [] }))
    const recorded: string[][] = []
    const queue = new JobQueue(sqs, 'q', async (jobIds) => void recorded.push(jobIds))
    const sends = ids(13).map((id) => queue.send(id).then(() => recorded.flat().includes(id)))
    const results = await Promise.allSettled(sends)
    expect(recorded).toEqual([ids(13).slice(0, 10).filter((_, i) => i !== 1), ids(13).slice(10)])
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'))).toEqual(ids(13).map((_, i) => (i === 1 ? 'rejected' : true)))
  })

  it('resolves the sends even when its hook fails, and calls no hook when nothing was sent', async () => {
    const failing = stubSqs(async () => ({}))
    const queue = new JobQueue(failing.sqs, 'q', async () => {
      throw new Error('database down')
    })
    await expect(queue.send(ids(1)[0]!)).resolves.toBeUndefined()
    const hook = jest.fn(async (_ids: string[]) => undefined)
    const unreachable = stubSqs(async () => {
      throw new Error('connect ECONNREFUSED')
    })
    await expect(new JobQueue(unreachable.sqs, 'q', hook).send(ids(1)[0]!)).rejects.toThrow('ECONNREFUSED')
    expect(hook).not.toHaveBeenCalled()
  })
})
