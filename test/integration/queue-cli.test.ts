import { spawn } from 'node:child_process'
import { DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { createSqsClient } from '@taskoverflow/shared'
import { loadApiConfig } from '../../containers/api/src/config.js'
import { loadWorkerConfig } from '../../containers/worker/src/config.js'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startEmbeddedSqs, type EmbeddedSqs } from '../../scripts/local/embedded-sqs.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { createPlaygroundQueues } from '../../scripts/local/queues.js'

let emulator: EmbeddedSqs

beforeEach(async () => {
  emulator = await startEmbeddedSqs({ enforceRules: true })
  await createPlaygroundQueues(emulator.sqs)
})
afterEach(async () => {
  await emulator.close()
})

interface CliRun {
  lines: string[]
  stderr: () => string
  waitForLines(count: number, timeoutMs?: number): Promise<void>
  /** Resolves once a line contains `text`. */
  waitForLine(text: string, timeoutMs?: number): Promise<void>
  /** Ctrl-C, without waiting for the exit. */
  signal(): void
  interrupt(): Promise<number | null>
  exit: Promise<number | null>
}

/** Runs `npm run queue -- ...args` as a user would, against the emulator. */
function queueCli(...args: string[]): CliRun {
  return queueCliWith({}, ...args, '--endpoint', emulator.endpoint)
}

/** The same, with extra environment variables and no --endpoint unless given. */
function queueCliWith(env: Record<string, string>, ...args: string[]): CliRun {
  const { SQS_ENDPOINT: _unset, ...inherited } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/queue.ts', ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let buffered = ''
  let stderr = ''
  const waiters: Array<() => void> = []
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const parts = buffered.split('\n')
    buffered = parts.pop()!
    lines.push(...parts)
    waiters.forEach((wake) => wake())
  })
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    lines,
    stderr: () => stderr,
    exit,
    signal: () => child.kill('SIGINT'),
    interrupt() {
      child.kill('SIGINT')
      return exit
    },
    waitForLine(text, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line with ${JSON.stringify(text)}:\n${lines.join('\n')}\n${stderr}`)), timeoutMs)
        const check = () => {
          if (lines.some((line) => line.includes(text))) {
            clearTimeout(timer)
            resolve()
          }
        }
        waiters.push(check)
        check()
      })
    },
    waitForLines(count, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const received = () => lines.filter((line) => line.startsWith('[')).length
        const timer = setTimeout(() => reject(new Error(`only ${received()} of ${count} messages arrived:\n${lines.join('\n')}\n${stderr}`)), timeoutMs)
        const check = () => {
          if (received() >= count) {
            clearTimeout(timer)
            resolve()
          }
        }
        waiters.push(check)
        check()
      })
    },
  }
}

/** `[time] CLIENT: BODY` lines of a receiver, parsed. */
function received(run: CliRun): Array<{ client: string; body: string }> {
  return run.lines
    .map((line) => /^\[(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\] (.+?): (.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ client: m[2]!, body: m[3]! }))
}

async function send(...args: string[]): Promise<CliRun> {
  const run = queueCli(...args)
  expect({ exit: await run.exit, stderr: run.stderr() }).toMatchObject({ exit: 0 })
  return run
}

async function visibleAndInFlight(name: string): Promise<number> {
  const { QueueUrl } = await emulator.sqs.send(new GetQueueUrlCommand({ QueueName: name }))
  const { Attributes } = await emulator.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  )
  return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible)
}

const numbered = (prefix = '') => Array.from({ length: 100 }, (_, i) => `${prefix}Message ${i}`)

// Receivers poll 2 s at a time, so Ctrl-C, which lets the open poll return, stops them soon.
describe('the queue demo CLI', () => {
  it('standard queue: all 100 messages arrive, each exactly once, and are deleted', async () => {
    const sender = await send('--name', 'csse6400_prac', '--client-name', 'Client 1')
    expect(sender.lines).toContain('Connected to csse6400_prac')
    expect(sender.lines).toContain('Sending Messages:')
    expect(sender.lines).toContain('Sent 100 of 100 messages to csse6400_prac')

    const receiver = queueCli('--name', 'csse6400_prac', '--client-name', 'Subscriber', '--receive', '--wait-time', '2')
    await receiver.waitForLines(100)
    expect(await receiver.interrupt()).toBe(0)
    expect(receiver.lines).toContain('Stopped after receiving 100 messages')
    const messages = received(receiver)
    expect(messages.every((m) => m.client === 'Client 1')).toBe(true)
    expect(messages.map((m) => m.body).sort()).toEqual(numbered().sort())
    expect(await visibleAndInFlight('csse6400_prac')).toBe(0)
  })

  it('FIFO queue: 100 arrive in send order; the same bodies again deliver none; --prepend A- delivers 100 new', async () => {
    await send('--name', 'csse6400_prac.fifo', '--client-name', 'Client 1')
    const receiver = queueCli('--name', 'csse6400_prac.fifo', '--client-name', 'Subscriber', '--receive', '--wait-time', '2')
    await receiver.waitForLines(100)
    expect(received(receiver).map((m) => m.body)).toEqual(numbered())

    const resend = await send('--name', 'csse6400_prac.fifo', '--client-name', 'Client 1')
    expect(resend.lines.some((line) => line.includes('accepted but not delivered again'))).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    expect(received(receiver)).toHaveLength(100)
    expect(await visibleAndInFlight('csse6400_prac.fifo')).toBe(0)

    await send('--name', 'csse6400_prac.fifo', '--client-name', 'Client 1', '--prepend', 'A-')
    await receiver.waitForLines(200)
    expect(received(receiver).slice(100).map((m) => m.body)).toEqual(numbered('A-'))
    expect(await receiver.interrupt()).toBe(0)
  })

  it('two publishers into one subscriber: 200 lines, each with the right client', async () => {
    const receiver = queueCli('--name', 'csse6400_prac', '--client-name', 'Subscriber', '--receive', '--wait-time', '2')
    await Promise.all([send('--name', 'csse6400_prac', '--client-name', 'Client 1'), send('--name', 'csse6400_prac', '--client-name', 'Client 2', '--prepend', 'B-')])
    await receiver.waitForLines(200)
    expect(await receiver.interrupt()).toBe(0)
    const messages = received(receiver)
    expect(messages).toHaveLength(200)
    expect(messages.filter((m) => m.client === 'Client 1').map((m) => m.body).sort()).toEqual(numbered().sort())
    expect(messages.filter((m) => m.client === 'Client 2').map((m) => m.body).sort()).toEqual(numbered('B-').sort())
  })

  it('a queue that does not exist: the practical message and a non-zero exit', async () => {
    const run = queueCli('--name', 'no_such_queue', '--client-name', 'Client 1')
    expect(await run.exit).not.toBe(0)
    expect(run.stderr()).toContain('Unable to find a Queue by this name no_such_queue')
    expect(run.stderr()).not.toMatch(/\n\s+at /)
  })

  it.each([
    [['--client-name', 'x'], '--name: required'],
    [['--name', 'csse6400_prac'], '--client-name: required'],
    [['--count', '0'], '  - --name: required, the queue to use, e.g. csse6400_prac or csse6400_prac.fifo\n  - --client-name: required, who is sending, e.g. "Client 1"\n  - --count: expected a whole number from 1 to 100000'],
    [['--name', 'q', '--client-name', 'x', '--count', '0'], 'expected a whole number from 1 to 100000'],
    [['--name', 'q', '--client-name', 'x', '--colour', 'red'], "unknown option '--colour'"],
  ])('bad flags %j: a message and a non-zero exit', async (args, message) => {
    const run = queueCli(...args)
    expect(await run.exit).not.toBe(0)
    expect(run.stderr()).toContain(message)
  })

  it('finds the emulator through AWS_ENDPOINT_URL_SQS, with no --endpoint', async () => {
    const run = queueCliWith({ AWS_ENDPOINT_URL_SQS: emulator.endpoint }, '--name', 'csse6400_prac.fifo', '--client-name', 'Client 1', '--count', '10', '--prepend', 'env-')
    expect({ exit: await run.exit, stderr: run.stderr() }).toMatchObject({ exit: 0 })
    expect(run.lines).toContain('Sent 10 of 10 messages to csse6400_prac.fifo')
    expect(await visibleAndInFlight('csse6400_prac.fifo')).toBe(10)
  })

  it('--help explains every flag', async () => {
    const run = queueCli('--help')
    expect(await run.exit).toBe(0)
    const help = run.lines.join('\n')
    for (const flag of ['--name', '--client-name', '--receive', '--prepend', '--count', '--region', '--endpoint']) expect(help).toContain(flag)
  })
})

describe('the services with the SDKs\' standard endpoint variables', () => {
  it.each(['AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL'])('reach the queue through %s alone', async (variable) => {
    const { QueueUrl } = await emulator.sqs.send(new GetQueueUrlCommand({ QueueName: 'csse6400_prac' }))
    const env = { DATABASE_URL: 'postgres://u@127.0.0.1:5432/todo', ICAL_QUEUE_URL: QueueUrl!, [variable]: emulator.endpoint }
    const api = createSqsClient(loadApiConfig(env).sqs)
    const worker = createSqsClient(loadWorkerConfig({ ...env, SQS_WAIT_TIME_SECONDS: '1' }).sqs)
    try {
      await api.send(new SendMessageCommand({ QueueUrl, MessageBody: `through ${variable}` }))
      const { Messages } = await worker.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }))
      expect(Messages?.map((m) => m.Body)).toEqual([`through ${variable}`])
      await worker.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle }))
    } finally {
      api.destroy()
      worker.destroy()
    }
  })
})

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Receives from the queue as another client would, until `count` have come or 10 s have passed. */
async function receiveAll(queueUrl: string, count: number): Promise<string[]> {
  const bodies: string[] = []
  const deadline = Date.now() + 10_000
  while (bodies.length < count && Date.now() < deadline) {
    const { Messages = [] } = await emulator.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))
    for (const message of Messages) {
      bodies.push(message.Body!)
      await emulator.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }))
    }
  }
  return bodies
}

describe('Ctrl-C in a receiver', () => {
  it.each(['csse6400_prac', 'csse6400_prac.fifo'])(
    '%s: the open receive is let return and what it brings is given back, so nothing stays hidden',
    async (name) => {
      const { QueueUrl } = await emulator.sqs.send(new GetQueueUrlCommand({ QueueName: name }))
      // The practical's receiver, with SQS's longest poll: 20 s.
      const receiver = queueCli('--name', name, '--client-name', 'Subscriber', '--receive')
      await receiver.waitForLine('Receiving Messages')
      await pause(500)
      receiver.signal()
      await receiver.waitForLine('a second Ctrl-C quits at once')
      // Sent while the stopping receiver's request is still open: SQS hands them to it.
      await pause(1_500)
      const bodies = Array.from({ length: 10 }, (_, i) => `after Ctrl-C ${i}`)
      await emulator.sqs.send(
        new SendMessageBatchCommand({ QueueUrl, Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body, ...(name.endsWith('.fifo') ? { MessageGroupId: 'g' } : {}) })) }),
      )
      expect({ exit: await receiver.exit, stderr: receiver.stderr() }).toEqual({ exit: 0, stderr: '' })
      expect(received(receiver)).toEqual([])
      // The open request returns with the first of them, or all ten, as SQS's long poll may.
      expect(receiver.lines.join('\n')).toMatch(/Gave back (1 message|\d+ messages) that arrived while stopping; other receivers get them now\./)
      // Well within the queue's 30 s visibility timeout, another client gets all ten (in order, on FIFO).
      const got = await receiveAll(QueueUrl!, 10)
      expect(name.endsWith('.fifo') ? got : got.sort()).toEqual(name.endsWith('.fifo') ? bodies : [...bodies].sort())
    },
  )

  it('a second Ctrl-C quits at once, without waiting for the open receive', async () => {
    const receiver = queueCli('--name', 'csse6400_prac', '--client-name', 'Subscriber', '--receive')
    await receiver.waitForLine('Receiving Messages')
    await pause(500)
    receiver.signal()
    await receiver.waitForLine('a second Ctrl-C quits at once')
    // A relayed copy of the first Ctrl-C (npm, tsx) comes within moments; a person's second, later.
    await pause(1_500)
    const second = Date.now()
    expect(await receiver.interrupt()).toBe(130)
    // The open poll had more than 15 s to go.
    expect(Date.now() - second).toBeLessThan(15_000)
    expect(receiver.lines.join('\n')).toContain('Quit without waiting')
  })
})

