import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs'

export interface ReceiveOptions {
  readonly queueUrl: string
  /** Long-poll wait per request; 20 s is the maximum SQS allows. */
  readonly waitTimeSeconds: number
  /**
   * Stops the loop after the batch in hand. A receive request already open is let return, and
   * what it brings is given back, not printed: SQS hands messages to a request whose client has
   * gone, and they would stay hidden for the queue's visibility timeout (on a FIFO queue, the
   * whole message group with them).
   */
  readonly stop: AbortSignal
  /** Quits at once, cancelling the open request: what SQS still hands to it stays hidden. */
  readonly quit: AbortSignal
  readonly print: (line: string) => void
}

export const UNKNOWN_CLIENT = 'unknown client'

export function formatMessage(message: Message, receivedAt: Date): string {
  const client = message.MessageAttributes?.client?.StringValue ?? UNKNOWN_CLIENT
  return `[${receivedAt.toISOString()}] ${client}: ${message.Body ?? ''}`
}

const entries = (messages: readonly Message[]) => messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle }))

/**
 * Prints every message as it arrives, then deletes it, until `stop`; returns how many were
 * received, and how many that arrived while stopping were given back (visible again at once).
 */
export async function receiveMessages(sqs: SQSClient, options: ReceiveOptions): Promise<{ received: number; givenBack: number }> {
  let received = 0
  while (!options.stop.aborted) {
    let messages: Message[]
    try {
      const response = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: options.waitTimeSeconds, MessageAttributeNames: ['client'] }),
        { abortSignal: options.quit },
      )
      messages = response.Messages ?? []
    } catch (err) {
      if (options.quit.aborted) break
      throw err
    }
    if (messages.length === 0) continue
    if (options.stop.aborted) {
      await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: options.queueUrl, Entries: entries(messages).map((entry) => ({ ...entry, VisibilityTimeout: 0 })) }), {
        abortSignal: options.quit,
      })
      return { received, givenBack: messages.length }
    }
    const now = new Date()
    for (const message of messages) options.print(formatMessage(message, now))
    // Not tied to either signal: a batch that was printed is always deleted.
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries(messages) }))
    received += messages.length
  }
  return { received, givenBack: 0 }
}
