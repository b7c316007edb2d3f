import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sqsRuleViolations } from './sqs-rules.js'

export interface SqsRulesProxy {
  /** The endpoint to give SDK clients instead of the emulator's. */
  readonly endpoint: string
  /** Every request refused so far, with why. */
  readonly refused: string[]
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
  const refused: string[] = []
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request)
      const target = String(request.headers['x-amz-target'] ?? '')
      if (target.startsWith('AmazonSQS.')) {
        let problems: string[]
        try {
          problems = sqsRuleViolations(target.slice('AmazonSQS.'.length), JSON.parse(body.toString('utf8') || '{}'))
        } catch {
          problems = ['the request body is not JSON']
        }
        if (problems.length > 0) {
          const message = `${target.slice('AmazonSQS.'.length)}: ${problems.join('; ')}`
          refused.push(message)
          response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'InvalidParameterValue;Sender' })
          response.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message }))
          return
        }
      }
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>
      const answer = await fetch(new URL(request.url ?? '/', upstream), { method: request.method, headers, body: body.length > 0 ? body : undefined })
      const answerHeaders: Record<string, string> = {}
      answer.headers.forEach((value, name) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) answerHeaders[name] = value
      })
      response.writeHead(answer.status, answerHeaders)
      response.end(Buffer.from(await answer.arrayBuffer()))
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
    refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
