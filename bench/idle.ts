import { startCluster } from '../test/support/cluster.js'
import { countingProxy } from './lib/counting-proxy.js'
import type { Figure } from './lib/report.js'

/** ReceiveMessage calls an idle worker makes, over `minutes` of real time. */
export async function benchIdle(minutes = 2, log: (line: string) => void = () => undefined): Promise<Figure[]> {
  const cluster = await startCluster()
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
