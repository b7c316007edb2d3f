import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs'

export interface ReceiveOptions {
  readonly queueUrl: string
  /** Long-poll wait per request; 20 s is the maximum SQS allows. */
  readonly waitTimeSeconds: number
  /** Stops the loop after the batch in hand; an idle long poll is cancelled at once. */
  readonly signal: AbortSignal
  readonly print: (line: string) => void
}

export const UNKNOWN_CLIENT = 'unknown client'

export function formatMessage(message: Message, receivedAt: Date): string {
  const client = message.MessageAttributes?.client?.StringValue ?? UNKNOWN_CLIENT
  return `[${receivedAt.toISOString()}] ${client}: ${message.Body ?? ''}`
}

/** Prints every message as it arrives, then deletes it; returns how many were received. */
export async function receiveMessages(sqs: SQSClient, options: ReceiveOptions): Promise<number> {
  let received = 0
  while (!options.signal.aborted) {
    let messages: Message[]
    try {
      const response = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: options.waitTimeSeconds,
          MessageAttributeNames: ['client'],
        }),
        { abortSignal: options.signal },
      )
      messages = response.Messages ?? []
    } catch (err) {
      if (options.signal.aborted) break
      throw err
    }
    if (messages.length === 0) continue
    const now = new Date()
    for (const message of messages) options.print(formatMessage(message, now))
    // Not tied to the signal: a batch that was printed is always deleted.
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
      }),
    )
    received += messages.length
  }
  return received
}
