import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs'
import { explainAwsError } from './errors.js'
import { receiveMessages } from './receive.js'
import { sendMessages } from './send.js'
import { readSettings, usageHint, type Flags } from './settings.js'

const BANNER = [
  '==================================================',
  '  CSSE6400 Queue Playground: publish and subscribe ',
  '==================================================',
].join('\n')

/**
 * Runs the demo with the given argv and resolves to the process exit code; `invokedAs` is how
 * the user typed the command, for its help and hints.
 */
export async function run(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, invokedAs = 'queue-demo'): Promise<number> {
  const { flags, problems } = readSettings(argv, env, invokedAs)
  if (!flags) {
    console.error(`Invalid settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n${usageHint(invokedAs)}`)
    return 1
  }
  const sqs = new SQSClient({
    region: flags.region,
    ...(flags.endpoint ? { endpoint: flags.endpoint, credentials: env.AWS_ACCESS_KEY_ID ? undefined : { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  })
  try {
    console.log(BANNER)
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: flags.name }))
    const queueUrl = QueueUrl!
    console.log(`Connected to ${flags.name}`)
    return flags.receive ? await receive(sqs, queueUrl, flags) : await send(sqs, queueUrl, flags)
  } catch (err) {
    const explained = explainAwsError(err, flags.name)
    console.error(explained?.message ?? `Error: ${err instanceof Error ? err.message : String(err)}`)
    return explained?.exitCode ?? 1
  } finally {
    sqs.destroy()
  }
}

async function send(sqs: SQSClient, queueUrl: string, flags: Flags): Promise<number> {
  console.log('Sending Messages:')
  const fifo = flags.name.endsWith('.fifo')
  const { sent, failed } = await sendMessages(sqs, { queueUrl, clientName: flags.clientName, prepend: flags.prepend, count: flags.count, fifo })
  console.log(`Sent ${sent} of ${flags.count} messages to ${flags.name}`)
  if (fifo) console.log('(FIFO: bodies already sent in the last 5 minutes are accepted but not delivered again)')
  for (const failure of failed) console.error(`Not sent: ${failure}`)
  return failed.length === 0 ? 0 : 1
}

/**
 * A second SIGINT this soon after the first is the same Ctrl-C, relayed by npm to this process
 * too (it comes within milliseconds); a person's second press comes later.
 */
const RELAYED_WITHIN_MS = 250

async function receive(sqs: SQSClient, queueUrl: string, flags: Flags): Promise<number> {
  console.log('Receiving Messages (Ctrl-C to stop):')
  const stop = new AbortController()
  const quit = new AbortController()
  let stoppedAt = 0
  const onSignal = () => {
    if (!stop.signal.aborted) {
      stoppedAt = Date.now()
      stop.abort()
      console.log(`Stopping: waiting for the open receive request to return (up to ${flags.waitTime} s), so no message SQS hands it stays hidden; a second Ctrl-C quits at once.`)
    } else if (Date.now() - stoppedAt >= RELAYED_WITHIN_MS) {
      quit.abort()
    }
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const { received, givenBack } = await receiveMessages(sqs, { queueUrl, waitTimeSeconds: flags.waitTime, stop: stop.signal, quit: quit.signal, print: (line) => console.log(line) })
    if (givenBack > 0) console.log(`Gave back ${givenBack === 1 ? '1 message' : `${givenBack} messages`} that arrived while stopping; other receivers get them now.`)
    if (quit.signal.aborted) {
      console.log(`Quit without waiting after receiving ${received} messages: any message SQS hands the cancelled request stays hidden for the queue's visibility timeout.`)
      return 130
    }
    console.log(`Stopped after receiving ${received} messages`)
    return 0
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
