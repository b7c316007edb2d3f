import { afterAll, describe, expect, it } from '@jest/globals'
import { smoke } from '../../scripts/smoke.js'
import { startLocalRun } from '../../scripts/lib/local-run.js'
import { call } from '../support/system.js'
import { testFolder } from '../support/test-folder.js'

const dataDir = testFolder('taskoverflow-local-')
afterAll(() => dataDir.remove())

describe('npm start', () => {
  it('runs the whole system, passes the smoke test, stops on Ctrl-C and keeps todos across a restart', async () => {
    const first = await startLocalRun(dataDir.path)
    expect(first.output()).toContain(`TaskOverflow is running: ${first.base}`)
    expect(first.output()).toContain(`curl -X POST ${first.base}/api/v1/todos/ical`)

    const lines: string[] = []
    await smoke(first.base, 30, (line) => lines.push(line))
    expect(lines.filter((line) => line.startsWith('  ok'))).toHaveLength(6)

    const kept = await call('POST', `${first.base}/api/v1/todos`, { title: 'survives a restart' })
    expect(kept.status).toBe(201)
    expect(await first.interrupt()).toBe(0)
    expect(first.output()).toContain('Stopped.')

    const second = await startLocalRun(dataDir.path)
    try {
      const again = await call('GET', `${second.base}/api/v1/todos/${kept.json.id}`)
      expect(again.json).toEqual(kept.json)
    } finally {
      expect(await second.interrupt()).toBe(0)
    }
  }, 120_000)
})
