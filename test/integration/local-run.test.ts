import { afterAll, describe, expect, it } from '@jest/globals'
import { smoke } from '../../scripts/smoke.js'
import { startLocalRun, startNpmStart, type NpmStartRun } from '../support/local-run.js'
import { httpCall } from '../../scripts/lib/http.js'
import { testFolder } from '../support/test-folder.js'

const dataDir = testFolder('taskoverflow-local-')
const cycleDir = testFolder('taskoverflow-ctrl-c-')
let running: NpmStartRun | undefined
afterAll(async () => {
  // A run a failed test left behind goes with its whole group.
  if (running?.child.pid) {
    try {
      process.kill(-running.child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  dataDir.remove()
  cycleDir.remove()
})

describe('npm start', () => {
  it('runs the whole system, passes the smoke test, stops on Ctrl-C and keeps todos across a restart', async () => {
    const first = await startLocalRun(dataDir.path)
    expect(first.output()).toContain(`TaskOverflow is running: ${first.base}`)
    expect(first.output()).toContain(`curl -X POST ${first.base}/api/v1/todos/ical`)

    const lines: string[] = []
    await smoke(first.base, 30, (line) => lines.push(line))
    expect(lines.filter((line) => line.startsWith('  ok'))).toHaveLength(6)

    const kept = await httpCall('POST', `${first.base}/api/v1/todos`, { title: 'survives a restart' })
    expect(kept.status).toBe(201)
    expect(await first.interrupt()).toBe(0)
    expect(first.output()).toContain('Stopped.')

    const second = await startLocalRun(dataDir.path)
    try {
      const again = await httpCall('GET', `${second.base}/api/v1/todos/${kept.json.id}`)
      expect(again.json).toEqual(kept.json)
    } finally {
      expect(await second.interrupt()).toBe(0)
    }
  }, 120_000)
})

describe('Ctrl-C of npm start at a terminal', () => {
  it('closes the embedded database cleanly every time: "Stopped." each time, ids contiguous, nothing lost', async () => {
    const ids: number[] = []
    for (let cycle = 1; cycle <= 6; cycle++) {
      running = await startNpmStart(cycleDir.path)
      const created = await httpCall('POST', `${running.base}/api/v1/todos`, { title: `cycle ${cycle}` })
      expect(created.status).toBe(201)
      ids.push(created.json.id as number)
      const titles = ((await httpCall('GET', `${running.base}/api/v1/todos`)).json as Array<{ title: string }>).map((todo) => todo.title)
      expect(titles).toEqual(Array.from({ length: cycle }, (_, i) => `cycle ${i + 1}`))
      // Every other time the group gets it twice, as npm forwards it where the shell execs the runner.
      await running.interruptGroup(cycle % 2 === 0 ? 2 : 1)
      // A database not closed is recovered at the next start, and its sequences jump by 32.
      expect([cycle, running.output()]).toEqual([cycle, expect.stringContaining('Stopped.')])
      running = undefined
    }
    expect(ids).toEqual(Array.from({ length: 6 }, (_, i) => ids[0]! + i))
  }, 300_000)
})

