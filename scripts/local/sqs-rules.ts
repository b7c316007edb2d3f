/**
 * The parameter rules Amazon SQS enforces and an emulator may not: every request of the JSON
 * protocol the SDK speaks, checked before it reaches the emulator. From the Amazon SQS API
 * Reference as it stands (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/):
 * API_SendMessage.html, API_SendMessageBatch.html, API_SendMessageBatchRequestEntry.html,
 * API_ReceiveMessage.html, API_ChangeMessageVisibility.html, API_CreateQueue.html,
 * API_SetQueueAttributes.html, API_MessageAttributeValue.html, and the quotas in the Developer
 * Guide's quotas-messages.html.
 *
 * Message size, since AWS raised it from 256 KiB in August 2025: SendMessage's MessageBody "The
 * maximum size is 1 MiB or 1,048,576 bytes"; SendMessageBatch: "The maximum allowed individual
 * message size and the maximum total payload size (the sum of the individual lengths of all of
 * the batched messages) are both 1 MiB 1,048,576 bytes"; CreateQueue and SetQueueAttributes:
 * MaximumMessageSize "An integer from 1,024 bytes (1 KiB) up to 1,048,576 bytes (1 MiB).
 * Default: 1,048,576 bytes (1 MiB)". A queue set lower refuses any message over its own limit,
 * so each message is held to its queue's MaximumMessageSize when the caller knows it.
 */

/** MessageGroupId and MessageDeduplicationId: 1-128 letters, digits and ASCII punctuation. */
const GROUP_OR_DEDUP_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/
/** A batch entry's Id: alphanumeric, hyphens and underscores, up to 80 characters. */
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/
/** Queue names: up to 80 alphanumerics, hyphens and underscores; a FIFO queue's ends in .fifo (counted). */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/
/** Message bodies: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF; so no lone surrogates. */
const BODY_CHARACTERS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u
/** Attribute names: up to 256 of A-Z a-z 0-9 _ - . */
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/
/** At most 1 MiB per message, the most a queue can be set to and its default; and per batch in all. */
export const MAX_MESSAGE_BYTES = 1_048_576
/** The least a queue's MaximumMessageSize can be set to. */
const MIN_MAXIMUM_MESSAGE_SIZE = 1_024
const MAX_BATCH_ENTRIES = 10
const MAX_ATTRIBUTES = 10

type Json = Record<string, any>

/** What the checker knows of the queue a request names, beyond its URL. */
export interface QueueFacts {
  /** The queue's MaximumMessageSize attribute; SQS's default (1 MiB) when unknown. */
  readonly maximumMessageSize?: number
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8')

function range(problems: string[], name: string, value: unknown, min: number, max: number) {
  if (value === undefined) return
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) problems.push(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`)
}

/** The size SQS counts for a message: its body and each attribute's name, type and value. */
function messageBytes(message: Json): number {
  let bytes = utf8(message.MessageBody ?? '')
  for (const [name, attribute] of Object.entries<Json>(message.MessageAttributes ?? {})) {
    bytes += utf8(name) + utf8(attribute.DataType ?? '') + utf8(attribute.StringValue ?? '') + (attribute.BinaryValue ? Buffer.from(attribute.BinaryValue, 'base64').length : 0)
  }
  return bytes
}

function checkAttributes(problems: string[], where: string, attributes: Json | undefined) {
  if (!attributes) return
  const names = Object.keys(attributes)
  if (names.length > MAX_ATTRIBUTES) problems.push(`${where}: at most ${MAX_ATTRIBUTES} message attributes, got ${names.length}`)
  for (const name of names) {
    if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws\.|amazon\.)/i.test(name)) {
      problems.push(`${where}: message attribute name ${JSON.stringify(name)} is not allowed (A-Z, a-z, 0-9, _ - . up to 256, no leading, trailing or double period, no AWS. or Amazon. prefix)`)
    }
    const { DataType, StringValue, BinaryValue } = attributes[name] as Json
    const base = typeof DataType === 'string' ? DataType.split('.')[0] : undefined
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') problems.push(`${where}: attribute ${name} has DataType ${JSON.stringify(DataType)}; String, Number or Binary (with an optional .label)`)
    else if (base === 'Binary' ? BinaryValue === undefined : typeof StringValue !== 'string') problems.push(`${where}: attribute ${name} of type ${DataType} has no ${base === 'Binary' ? 'BinaryValue' : 'StringValue'}`)
    else if (base === 'Number' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(StringValue)) problems.push(`${where}: attribute ${name} is not a number: ${JSON.stringify(StringValue)}`)
    else if (base === 'String' && !BODY_CHARACTERS.test(StringValue)) problems.push(`${where}: attribute ${name} has characters SQS does not allow`)
  }
}

function checkMessage(problems: string[], where: string, message: Json, fifo: boolean, queue: QueueFacts) {
  const body = message.MessageBody
  if (typeof body !== 'string' || body.length === 0) problems.push(`${where}: MessageBody must be at least one character`)
  else if (!BODY_CHARACTERS.test(body)) problems.push(`${where}: MessageBody has characters outside #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF`)
  const limit = Math.min(queue.maximumMessageSize ?? MAX_MESSAGE_BYTES, MAX_MESSAGE_BYTES)
  if (messageBytes(message) > limit) {
    problems.push(`${where}: the message is ${messageBytes(message)} bytes; ${queue.maximumMessageSize === undefined ? 'SQS takes' : "the queue's MaximumMessageSize is"} at most ${limit}`)
  }
  range(problems, `${where}: DelaySeconds`, message.DelaySeconds, 0, 900)
  if (fifo && message.DelaySeconds !== undefined) problems.push(`${where}: FIFO queues take no per-message DelaySeconds`)
  for (const key of ['MessageGroupId', 'MessageDeduplicationId'] as const) {
    if (message[key] !== undefined && !GROUP_OR_DEDUP_ID.test(message[key])) {
      problems.push(`${where}: ${key} ${JSON.stringify(message[key])} must be 1 to 128 letters, digits or punctuation (no spaces)`)
    }
  }
  if (fifo && message.MessageGroupId === undefined) problems.push(`${where}: a FIFO queue needs a MessageGroupId`)
  checkAttributes(problems, where, message.MessageAttributes)
}

function checkBatch(problems: string[], entries: unknown, check?: (entry: Json, where: string) => void) {
  if (!Array.isArray(entries) || entries.length === 0) return problems.push('a batch needs at least one entry')
  if (entries.length > MAX_BATCH_ENTRIES) problems.push(`a batch takes at most ${MAX_BATCH_ENTRIES} entries, got ${entries.length}`)
  const ids = new Set<string>()
  for (const entry of entries as Json[]) {
    if (typeof entry.Id !== 'string' || !BATCH_ENTRY_ID.test(entry.Id)) problems.push(`batch entry Id ${JSON.stringify(entry.Id)} must be 1 to 80 letters, digits, - or _`)
    else if (ids.has(entry.Id)) problems.push(`batch entry Id ${entry.Id} is used twice`)
    ids.add(entry.Id)
    check?.(entry, `entry ${entry.Id}`)
  }
}

function checkQueueAttributes(problems: string[], name: string, attributes: Json) {
  const ranges = [
    ['VisibilityTimeout', 0, 43_200],
    ['DelaySeconds', 0, 900],
    ['ReceiveMessageWaitTimeSeconds', 0, 20],
    ['MessageRetentionPeriod', 60, 1_209_600],
    ['MaximumMessageSize', MIN_MAXIMUM_MESSAGE_SIZE, MAX_MESSAGE_BYTES],
  ] as const
  for (const [attribute, min, max] of ranges) {
    if (attributes[attribute] !== undefined) range(problems, `queue ${name}: ${attribute}`, Number(attributes[attribute]), min, max)
  }
}

/**
 * Why SQS would refuse this request of the JSON protocol (operation from X-Amz-Target), or
 * nothing. `queue` is what is known of the queue it names (its MaximumMessageSize).
 */
export function sqsRuleViolations(operation: string, request: Json, queue: QueueFacts = {}): string[] {
  const problems: string[] = []
  const fifo = typeof request.QueueUrl === 'string' && request.QueueUrl.endsWith('.fifo')
  switch (operation) {
    case 'SendMessage':
      checkMessage(problems, 'SendMessage', request, fifo, queue)
      break
    case 'SendMessageBatch': {
      checkBatch(problems, request.Entries, (entry, where) => checkMessage(problems, where, entry, fifo, queue))
      const total = Array.isArray(request.Entries) ? (request.Entries as Json[]).reduce((sum, entry) => sum + messageBytes(entry), 0) : 0
      if (total > MAX_MESSAGE_BYTES) problems.push(`the batch is ${total} bytes in all; SQS takes at most ${MAX_MESSAGE_BYTES}`)
      break
    }
    case 'ReceiveMessage':
      range(problems, 'WaitTimeSeconds', request.WaitTimeSeconds, 0, 20)
      range(problems, 'VisibilityTimeout', request.VisibilityTimeout, 0, 43_200)
      range(problems, 'MaxNumberOfMessages', request.MaxNumberOfMessages, 1, 10)
      if (request.ReceiveRequestAttemptId !== undefined && !GROUP_OR_DEDUP_ID.test(request.ReceiveRequestAttemptId)) problems.push('ReceiveRequestAttemptId must be 1 to 128 letters, digits or punctuation')
      break
    case 'ChangeMessageVisibility':
      range(problems, 'VisibilityTimeout', request.VisibilityTimeout, 0, 43_200)
      break
    case 'ChangeMessageVisibilityBatch':
      checkBatch(problems, request.Entries, (entry, where) => range(problems, `${where}: VisibilityTimeout`, entry.VisibilityTimeout, 0, 43_200))
      break
    case 'DeleteMessageBatch':
      checkBatch(problems, request.Entries)
      break
    case 'CreateQueue':
    case 'GetQueueUrl': {
      const name = String(request.QueueName ?? '')
      const isFifo = name.endsWith('.fifo')
      if (!QUEUE_NAME.test(isFifo ? name.slice(0, -'.fifo'.length) : name) || name.length > 80) {
        problems.push(`queue name ${JSON.stringify(name)} must be up to 80 letters, digits, - or _ (a FIFO queue's ending in .fifo, counted)`)
      }
      const attributes = (request.Attributes ?? {}) as Json
      if (operation === 'CreateQueue' && (attributes.FifoQueue === 'true') !== isFifo) problems.push(`queue ${name}: FifoQueue=true goes with a name ending in .fifo, and only with one`)
      checkQueueAttributes(problems, name, attributes)
      break
    }
    case 'SetQueueAttributes':
      checkQueueAttributes(problems, String(request.QueueUrl ?? ''), (request.Attributes ?? {}) as Json)
      break
  }
  return problems
}
