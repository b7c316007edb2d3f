import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sqsRuleViolations, type QueueFacts } from './sqs-rules.js'

/** One SQS request a client sent, refused or passed on. */
export interface SqsRequest {
  /** The SQS operation, e.g. SendMessageBatch. */
  readonly operation: string
  /** The queue it names, if it names one. */
  readonly queueUrl?: string
  /** The client's User-Agent, where an AWS SDK puts its userAgentAppId as `app/NAME`. */
  readonly userAgent?: string
}

export interface SqsRulesProxy {
  /** The endpoint to give SDK clients instead of the emulator's. */
  readonly endpoint: string
  close(): Promise<void>
}

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Sends one request to the emulator; resolves with its status and body. */
function forward(destination: URL, method: string, headers: IncomingHttpHeaders, body: Buffer, onAnswer?: (answer: IncomingMessage) => void): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const forwarded = httpRequest(destination, { method, headers: { ...headers, 'content-length': String(body.length) } }, (answer) => {
      onAnswer?.(answer)
      const chunks: Buffer[] = []
      answer.on('data', (chunk: Buffer) => chunks.push(chunk))
      answer.once('end', () => resolve({ status: answer.statusCode ?? 502, body: Buffer.concat(chunks) }))
      answer.once('error', reject)
    })
    forwarded.once('error', reject)
    forwarded.end(body)
  })
}

/** Operations after which a queue's MaximumMessageSize may be another. */
const CHANGES_QUEUES = new Set(['CreateQueue', 'SetQueueAttributes', 'DeleteQueue'])

/**
 * Each queue's MaximumMessageSize, asked of the emulator once (GetQueueAttributes, as the client
 * would) and forgotten whenever a queue is created, changed or deleted. Unknown (a queue that does
 * not exist, an emulator that does not say) means SQS's default.
 */
function queueFactsCache(upstream: string) {
  const known = new Map<string, number>()
  return {
    async facts(queueUrl: unknown, headers: IncomingHttpHeaders): Promise<QueueFacts> {
      if (typeof queueUrl !== 'string') return {}
      if (!known.has(queueUrl)) {
        const question = Buffer.from(JSON.stringify({ QueueUrl: queueUrl, AttributeNames: ['MaximumMessageSize'] }))
        const asked = { host: headers.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueAttributes' }
        const size = await forward(new URL('/', upstream), 'POST', asked, question)
          .then((answer) => (answer.status === 200 ? Number((JSON.parse(answer.body.toString('utf8')) as { Attributes?: Record<string, string> }).Attributes?.MaximumMessageSize) : Number.NaN))
          .catch(() => Number.NaN)
        if (!Number.isInteger(size)) return {}
        known.set(queueUrl, size)
      }
      return { maximumMessageSize: known.get(queueUrl) }
    },
    forget: () => known.clear(),
  }
}

/**
 * An HTTP front for an SQS emulator that answers as SQS does (400 InvalidParameterValue) to any
 * request breaking a rule of scripts/local/sqs-rules.ts, and passes the rest through, so every
 * client, in this process or another, meets AWS's rules, not only the emulator's. Every request
 * passes here, so `onRequest` sees each one: what the services call, for checking their roles.
 */
export async function startSqsRulesProxy(upstream: string, port = 0, onRequest?: (request: SqsRequest) => void): Promise<SqsRulesProxy> {
  const queues = queueFactsCache(upstream)
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request)
      const target = String(request.headers['x-amz-target'] ?? '')
      const operation = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : undefined
      if (operation) {
        let parsed: Record<string, unknown> | undefined
        try {
          parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>
        } catch {
          // reported below
        }
        const queueUrl = typeof parsed?.QueueUrl === 'string' ? parsed.QueueUrl : undefined
        onRequest?.({ operation, queueUrl, userAgent: request.headers['user-agent'] })
        const sends = operation === 'SendMessage' || operation === 'SendMessageBatch'
        const problems = parsed ? sqsRuleViolations(operation, parsed, sends ? await queues.facts(parsed.QueueUrl, request.headers) : {}) : ['the request body is not JSON']
        if (problems.length > 0) {
          const message = `${operation}: ${problems.join('; ')}`
          response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'InvalidParameterValue;Sender' })
          response.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message }))
          return
        }
      }
      // The client's own Host goes on: the emulator builds queue URLs from it, so they name this
      // proxy's port, which stays the same when the emulator behind it restarts.
      const answer = await forward(new URL(request.url ?? '/', upstream), request.method ?? 'POST', request.headers, body, (head) => response.writeHead(head.statusCode ?? 502, head.headers))
      response.end(answer.body)
      if (operation && CHANGES_QUEUES.has(operation)) queues.forget()
    })().catch((err: unknown) => {
      response.writeHead(502, { 'content-type': 'text/plain' })
      response.end(`the SQS rules proxy could not reach the emulator: ${String(err)}`)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
