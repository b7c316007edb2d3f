import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A pass-through in front of the emulator that counts SQS actions by their X-Amz-Target, so
 * the worker is measured from outside, without touching its code.
 */
export async function countingProxy(target: string): Promise<{ url: string; counts: Map<string, number>; close(): Promise<void> }> {
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
