/**
 * ECS sends SIGTERM to a task it stops, possibly while the task is still starting: waiting up to
 * a minute for a database that is not reachable yet, say. The compiled services run here as
 * the images run them.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { buildContainers, containersUpToDate } from '../../scripts/local/build.js'
import { freePort } from '../../scripts/local/ports.js'
import { startService } from '../../scripts/local/services.js'

beforeAll(async () => {
  if (!containersUpToDate()) await buildContainers()
}, 120_000)

describe('a service signalled during start-up', () => {
  it.each(['api', 'worker'] as const)('%s: exits cleanly at once instead of waiting for the database', async (name) => {
    // Nothing listens on this port: the service retries the database for up to 60 s.
    const databasePort = await freePort()
    const lines: string[] = []
    const service = startService(name, {
      env: {
        DATABASE_URL: `postgres://taskoverflow@127.0.0.1:${databasePort}/todo`,
        ICAL_QUEUE_URL: 'http://127.0.0.1:9/000000000000/ical',
        SQS_ENDPOINT: 'http://127.0.0.1:9',
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      onLine: (line) => lines.push(line),
    })
    const deadline = Date.now() + 20_000
    while (!lines.some((line) => line.includes('database not reachable yet'))) {
      if (Date.now() > deadline || service.child.exitCode !== null) throw new Error(`no retry logged:\n${lines.join('\n')}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    // Far less than the 60 s start-up wait; past it stop() sends SIGKILL and answers 'SIGKILL'.
    expect(await service.stop('SIGTERM', 20_000)).toBe(0)
    expect(lines).toContain(`${name}: SIGTERM received during start-up, stopping`)
  })
})
