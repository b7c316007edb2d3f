import { createHash } from 'node:crypto'
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs'
import { Presets, SingleBar } from 'cli-progress'

export interface SendOptions {
  readonly queueUrl: string
  readonly clientName: string
  readonly prepend: string
  readonly count: number
  readonly fifo: boolean
}

const BATCH = 10

/**
 * MessageGroupId takes 1 to 128 letters, digits and ASCII punctuation, no spaces
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html).
 */
const GROUP_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/

/**
 * The FIFO message group of a publisher: its name where SQS allows it, otherwise the name made
 * valid plus a short digest of the original, so "Client 1" and "Client_1" stay two groups and
 * each publisher's messages keep their order.
 */
export function messageGroupId(clientName: string): string {
  if (GROUP_ID.test(clientName)) return clientName
  const readable = [...clientName].map((c) => (GROUP_ID.test(c) ? c : '_')).join('').slice(0, 119)
  return `${readable}-${createHash('sha256').update(clientName).digest('hex').slice(0, 8)}`
}

/** Sends `${prepend}Message ${i}` for i = 0..count-1, in order, ten per request. Returns how many SQS accepted. */
export async function sendMessages(sqs: SQSClient, options: SendOptions): Promise<{ sent: number; failed: string[] }> {
  const bar = new SingleBar({ format: '{bar} {percentage}% | {value}/{total} messages', hideCursor: true }, Presets.shades_classic)
  bar.start(options.count, 0)
  let sent = 0
  const failed: string[] = []
  try {
    for (let first = 0; first < options.count; first += BATCH) {
      const entries: SendMessageBatchRequestEntry[] = []
      for (let i = first; i < Math.min(first + BATCH, options.count); i++) {
        entries.push({
          Id: String(i),
          MessageBody: `${options.prepend}Message ${i}`,
          MessageAttributes: { client: { DataType: 'String', StringValue: options.clientName } },
          // One group per publisher keeps its messages in order; the queue's content-based
          // deduplication drops a body already sent within the last five minutes.
          ...(options.fifo ? { MessageGroupId: messageGroupId(options.clientName) } : {}),
        })
      }
      const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }))
      sent += result.Successful?.length ?? 0
      for (const failure of result.Failed ?? []) failed.push(`Message ${failure.Id}: ${failure.Message ?? failure.Code}`)
      bar.update(first + entries.length)
    }
  } finally {
    bar.stop()
  }
  return { sent, failed }
}
