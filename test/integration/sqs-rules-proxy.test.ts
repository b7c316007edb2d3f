import { CreateQueueCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmbeddedSqs, type EmbeddedSqs } from '../../scripts/local/embedded-sqs.js'

let emulator: EmbeddedSqs
beforeAll(async () => {
  emulator = await startEmbeddedSqs({ enforceRules: true })
})
afterAll(() => emulator.close())

/** Resolves to what SQS said: "sent", or the error's name and message. */
async function send(queueUrl: string, bytes: number): Promise<string> {
  try {
    await emulator.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x'.repeat(bytes) }))
    return 'sent'
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`
  }
}

describe('the SQS rules proxy in front of the emulator', () => {
  it('takes messages up to 1 MiB on a queue left at the default, as SQS has since 2025', async () => {
    const { QueueUrl } = await emulator.sqs.send(new CreateQueueCommand({ QueueName: 'default-size' }))
    expect(await send(QueueUrl!, 300 * 1_024)).toBe('sent')
    expect(await send(QueueUrl!, 1_048_576)).toBe('sent')
    expect(await send(QueueUrl!, 1_048_577)).toMatch(/^InvalidParameterValue: .*the message is 1048577 bytes; the queue's MaximumMessageSize is at most 1048576/)
  })

  it("holds each message to its queue's own MaximumMessageSize, and follows a change of it", async () => {
    const { QueueUrl } = await emulator.sqs.send(new CreateQueueCommand({ QueueName: 'small', Attributes: { MaximumMessageSize: '2048' } }))
    expect(await send(QueueUrl!, 2_048)).toBe('sent')
    expect(await send(QueueUrl!, 3_000)).toMatch(/^InvalidParameterValue: .*the message is 3000 bytes; the queue's MaximumMessageSize is at most 2048/)
    await emulator.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MaximumMessageSize: '4096' } }))
    expect(await send(QueueUrl!, 3_000)).toBe('sent')
  })

  it('refuses a batch over 1 MiB in all, which the emulator alone would take', async () => {
    const { QueueUrl } = await emulator.sqs.send(new CreateQueueCommand({ QueueName: 'batches' }))
    const entries = ['a', 'b'].map((Id) => ({ Id, MessageBody: 'x'.repeat(600_000) }))
    await expect(emulator.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }))).rejects.toThrow('the batch is 1200000 bytes in all; SQS takes at most 1048576')
  })
})
