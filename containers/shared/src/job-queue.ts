import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { encodeJobMessage } from './job-message.js'

/** The sending side of the ical queue. */
export class JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
  ) {}

  async send(jobId: string): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: encodeJobMessage(jobId) }))
  }
}
