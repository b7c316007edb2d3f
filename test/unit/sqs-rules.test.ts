import { describe, expect, it } from '@jest/globals'
import { MAX_MESSAGE_BYTES, sqsRuleViolations } from '../../scripts/local/sqs-rules.js'

const STANDARD = 'http://127.0.0.1:4566/000000000000/ical'
const FIFO = 'http://127.0.0.1:4566/000000000000/csse6400_prac.fifo'
const entry = (id: string, more: Record<string, unknown> = {}) => ({ Id: id, MessageBody: `body ${id}`, ...more })

describe('the SQS rules the tests hold every request to', () => {
  it.each([
    ['SendMessage', { QueueUrl: STANDARD, MessageBody: 'hello', MessageAttributes: { client: { DataType: 'String', StringValue: 'Client 1' } } }],
    ['SendMessage', { QueueUrl: FIFO, MessageBody: 'hello', MessageGroupId: 'default', MessageDeduplicationId: 'a-1' }],
    ['SendMessageBatch', { QueueUrl: STANDARD, Entries: Array.from({ length: 10 }, (_, i) => entry(`m_${i}`)) }],
    ['ReceiveMessage', { QueueUrl: STANDARD, WaitTimeSeconds: 20, MaxNumberOfMessages: 10, VisibilityTimeout: 43_200 }],
    ['CreateQueue', { QueueName: 'csse6400_prac.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }],
    ['DeleteMessageBatch', { QueueUrl: STANDARD, Entries: [{ Id: 'a', ReceiptHandle: 'r' }] }],
    // 256 KiB was the limit until August 2025; 1 MiB is now the most and the default.
    ['SendMessage', { QueueUrl: STANDARD, MessageBody: 'x'.repeat(MAX_MESSAGE_BYTES) }],
    ['SendMessageBatch', { QueueUrl: STANDARD, Entries: [entry('a', { MessageBody: 'x'.repeat(500_000) }), entry('b', { MessageBody: 'x'.repeat(500_000) })] }],
    ['CreateQueue', { QueueName: 'big', Attributes: { MaximumMessageSize: '1048576' } }],
    ['SetQueueAttributes', { QueueUrl: STANDARD, Attributes: { MaximumMessageSize: '1048576' } }],
  ])('accepts a valid %s', (operation, request) => {
    expect(sqsRuleViolations(operation, request)).toEqual([])
  })

  it.each([
    ['MessageGroupId with a space', 'SendMessage', { QueueUrl: FIFO, MessageBody: 'x', MessageGroupId: 'Client 1' }, 'MessageGroupId "Client 1"'],
    ['MessageGroupId over 128', 'SendMessage', { QueueUrl: FIFO, MessageBody: 'x', MessageGroupId: 'g'.repeat(129) }, 'MessageGroupId'],
    ['MessageDeduplicationId with a non-ASCII letter', 'SendMessage', { QueueUrl: FIFO, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'é' }, 'MessageDeduplicationId'],
    ['FIFO message without a group', 'SendMessage', { QueueUrl: FIFO, MessageBody: 'x' }, 'needs a MessageGroupId'],
    ['batch entry Id with a dot', 'SendMessageBatch', { QueueUrl: STANDARD, Entries: [entry('a.b')] }, 'batch entry Id "a.b"'],
    ['batch entry Id over 80', 'SendMessageBatch', { QueueUrl: STANDARD, Entries: [entry('i'.repeat(81))] }, 'must be 1 to 80'],
    ['batch entry Id twice', 'SendMessageBatch', { QueueUrl: STANDARD, Entries: [entry('a'), entry('a')] }, 'used twice'],
    ['eleven entries', 'SendMessageBatch', { QueueUrl: STANDARD, Entries: Array.from({ length: 11 }, (_, i) => entry(`m${i}`)) }, 'at most 10 entries'],
    ['an empty batch', 'DeleteMessageBatch', { QueueUrl: STANDARD, Entries: [] }, 'at least one entry'],
    ['a message over 1 MiB', 'SendMessage', { QueueUrl: STANDARD, MessageBody: 'x'.repeat(MAX_MESSAGE_BYTES + 1) }, 'at most 1048576'],
    ['a batch over 1 MiB in all', 'SendMessageBatch', { QueueUrl: STANDARD, Entries: [entry('a', { MessageBody: 'x'.repeat(600_000) }), entry('b', { MessageBody: 'x'.repeat(600_000) })] }, 'in all'],
    ['a queue limit over 1 MiB', 'CreateQueue', { QueueName: 'q', Attributes: { MaximumMessageSize: '1048577' } }, 'MaximumMessageSize must be a whole number from 1024 to 1048576'],
    ['a queue limit under 1 KiB, set later', 'SetQueueAttributes', { QueueUrl: STANDARD, Attributes: { MaximumMessageSize: '1023' } }, 'MaximumMessageSize must be a whole number from 1024 to 1048576'],
    ['a NUL in the body', 'SendMessage', { QueueUrl: STANDARD, MessageBody: 'a\u0000b' }, 'characters outside'],
    ['a lone surrogate in the body', 'SendMessage', { QueueUrl: STANDARD, MessageBody: 'a\uD800b' }, 'characters outside'],
    ['an empty body', 'SendMessage', { QueueUrl: STANDARD, MessageBody: '' }, 'at least one character'],
    ['an attribute name with a space', 'SendMessage', { QueueUrl: STANDARD, MessageBody: 'x', MessageAttributes: { 'client name': { DataType: 'String', StringValue: 'v' } } }, 'attribute name "client name"'],
    ['an attribute name starting AWS.', 'SendMessage', { QueueUrl: STANDARD, MessageBody: 'x', MessageAttributes: { 'AWS.trace': { DataType: 'String', StringValue: 'v' } } }, 'AWS. or Amazon. prefix'],
    ['an attribute of an unknown type', 'SendMessage', { QueueUrl: STANDARD, MessageBody: 'x', MessageAttributes: { a: { DataType: 'Text', StringValue: 'v' } } }, 'DataType "Text"'],
    ['a Number attribute that is not a number', 'SendMessage', { QueueUrl: STANDARD, MessageBody: 'x', MessageAttributes: { a: { DataType: 'Number', StringValue: 'ten' } } }, 'is not a number'],
    ['eleven attributes', 'SendMessage', { QueueUrl: STANDARD, MessageBody: 'x', MessageAttributes: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }])) }, 'at most 10 message attributes'],
    ['WaitTimeSeconds 21', 'ReceiveMessage', { QueueUrl: STANDARD, WaitTimeSeconds: 21 }, 'WaitTimeSeconds must be a whole number from 0 to 20'],
    ['VisibilityTimeout 43201', 'ChangeMessageVisibility', { QueueUrl: STANDARD, ReceiptHandle: 'r', VisibilityTimeout: 43_201 }, 'VisibilityTimeout must be a whole number from 0 to 43200'],
    ['VisibilityTimeout -1 in a batch', 'ChangeMessageVisibilityBatch', { QueueUrl: STANDARD, Entries: [{ Id: 'a', ReceiptHandle: 'r', VisibilityTimeout: -1 }] }, 'VisibilityTimeout'],
    ['MaxNumberOfMessages 11', 'ReceiveMessage', { QueueUrl: STANDARD, MaxNumberOfMessages: 11 }, 'MaxNumberOfMessages'],
    ['DelaySeconds 901', 'SendMessage', { QueueUrl: STANDARD, MessageBody: 'x', DelaySeconds: 901 }, 'DelaySeconds must be a whole number from 0 to 900'],
    ['a per-message delay on a FIFO queue', 'SendMessage', { QueueUrl: FIFO, MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 5 }, 'no per-message DelaySeconds'],
    ['a queue name of 81', 'CreateQueue', { QueueName: 'q'.repeat(81) }, 'up to 80'],
    ['a queue name with a space', 'GetQueueUrl', { QueueName: 'my queue' }, 'queue name "my queue"'],
    ['a FIFO queue whose name lacks .fifo', 'CreateQueue', { QueueName: 'orders', Attributes: { FifoQueue: 'true' } }, 'FifoQueue=true goes with a name ending in .fifo'],
    ['a queue wait time of 30', 'CreateQueue', { QueueName: 'q', Attributes: { ReceiveMessageWaitTimeSeconds: '30' } }, 'ReceiveMessageWaitTimeSeconds'],
  ])('refuses %s', (_what, operation, request, message) => {
    const problems = sqsRuleViolations(operation, request)
    expect(problems.join('\n')).toContain(message)
  })

  it("holds each message to its own queue's MaximumMessageSize when it is known", () => {
    const small = { maximumMessageSize: 2_048 }
    expect(sqsRuleViolations('SendMessage', { QueueUrl: STANDARD, MessageBody: 'x'.repeat(2_048) }, small)).toEqual([])
    expect(sqsRuleViolations('SendMessage', { QueueUrl: STANDARD, MessageBody: 'x'.repeat(2_049) }, small).join('\n')).toContain("the queue's MaximumMessageSize is at most 2048")
    const batch = { QueueUrl: STANDARD, Entries: [entry('a'), entry('b', { MessageBody: 'x'.repeat(2_049) })] }
    expect(sqsRuleViolations('SendMessageBatch', batch, small)).toEqual(["entry b: the message is 2049 bytes; the queue's MaximumMessageSize is at most 2048"])
  })
})
