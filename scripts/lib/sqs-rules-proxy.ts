import { createServer, request as httpRequest, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sqsRuleViolations } from './sqs-rules.js'

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

/**
 * An HTTP front for an SQS emulator that answers as SQS does (400 InvalidParameterValue) to any
 * request breaking a rule of scripts/lib/sqs-rules.ts, and passes the rest through, so every
 * client, in this process or another, meets AWS's rules, not only the emulator's.
 */
export async function startSqsRulesProxy(upstream: string, port = 0): Promise<SqsRulesProxy> {
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request)
      const operation = String(request.headers['x-amz-target'] ?? '')
      if (operation.startsWith('AmazonSQS.')) {
        let problems: string[]
        try {
          problems = sqsRuleViolations(operation.slice('AmazonSQS.'.length), JSON.parse(body.toString('utf8') || '{}'))
        } catch {
          problems = ['the request body is not JSON']
        }
        if (problems.length > 0) {
          const message = `${operation.slice('AmazonSQS.'.length)}: ${problems.join('; ')}`
          response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'InvalidParameterValue;Sender' })
          response.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message }))
          return
        }
      }
      // The client's own Host goes on: the emulator builds queue URLs from it, so they name this
      // proxy's port, which stays the same when the emulator behind it restarts.
      const destination = new URL(request.url ?? '/', upstream)
      await new Promise<void>((resolve, reject) => {
        const forwarded = httpRequest(destination, { method: request.method, headers: { ...request.headers, 'content-length': String(body.length) } }, (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(response)
          answer.once('end', resolve)
          answer.once('error', reject)
        })
        forwarded.once('error', reject)
        forwarded.end(body)
      })
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
