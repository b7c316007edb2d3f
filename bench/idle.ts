import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { startCluster } from '../scripts/lib/cluster.js'
import type { Figure } from './lib/report.js'

/**
 * A pass-through in front of the emulator that counts SQS actions by their X-Amz-Target, so
 * the worker is measured from outside, without touching its code.
 */
async function countingProxy(target: string): Promise<{ url: string; counts: Map<string, number>; close(): Promise<void> }> {
  const counts = new Map<string, number>()
  const upstream = new URL(target)
  const agent = new http.Agent({ keepAlive: true })
  const server = http.createServer((req, res) => {
    const action = String(req.headers['x-amz-target'] ?? 'other').replace('AmazonSQS.', '')
    counts.set(action, (counts.get(action) ?? 0) + 1)
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () => new Promise((resolve) => {
      agent.destroy()
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

/** ReceiveMessage calls an idle worker makes, over `minutes` of real time. */
export async function benchIdle(minutes = 2, log: (line: string) => void = () => undefined): Promise<Figure[]> {
  const cluster = await startCluster({ database: 'server' })
  const proxy = await countingProxy(cluster.sqs.endpoint)
  try {
    const worker = await cluster.startWorker({ SQS_ENDPOINT: proxy.url })
    proxy.counts.clear()
    log(`  watching an idle worker for ${minutes} minutes`)
    await new Promise((resolve) => setTimeout(resolve, minutes * 60_000))
    const receives = proxy.counts.get('ReceiveMessage') ?? 0
    const other = [...proxy.counts].filter(([action]) => action !== 'ReceiveMessage')
    await worker.stop('SIGTERM')
    log(`  ${receives} ReceiveMessage calls${other.length ? `, and ${other.map(([a, n]) => `${n} ${a}`).join(', ')}` : ', nothing else'}`)
    return [
      {
        benchmark: 'idle cost',
        what: `ReceiveMessage calls by an idle worker (${receives} in ${minutes} min)`,
        value: receives / minutes,
        unit: 'calls/min',
        goal: { op: '<=', value: 3 },
        detail: other.length ? `other calls: ${other.map(([a, n]) => `${a} ${n}`).join(', ')}` : 'no other calls',
      },
    ]
  } finally {
    await proxy.close()
    await cluster.close()
  }
}
