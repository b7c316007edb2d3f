import { createServer } from 'node:net'
import { afterAll, describe, expect, it } from '@jest/globals'
import { smoke } from '../../scripts/smoke.js'
import { startLocalRun, startNpmStart, type NpmStartRun } from '../support/local-run.js'
import { httpCall } from '../../scripts/lib/http.js'
import { testFolder } from '../support/test-folder.js'
import { freePort } from '../../scripts/local/ports.js'

const dataDir = testFolder('taskoverflow-local-')
const cycleDir = testFolder('taskoverflow-ctrl-c-')
const sharedDir = testFolder('taskoverflow-shared-')
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
  sharedDir.remove()
})

/**
 * Whether what listens on `port` listens on 127.0.0.1 alone: Linux refuses a second listener on
 * 127.0.0.2 at the same port only when the first took every address (0.0.0.0).
 */
function loopbackOnly(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err)))
    probe.listen(port, '127.0.0.2', () => probe.close(() => resolve(true)))
  })
}

describe('npm start', () => {
  it('is not reachable from other machines: the API, the SQS emulator and PostgreSQL listen on 127.0.0.1 alone', async () => {
    const ports = { SQS_PORT: await freePort(), POSTGRES_PORT: await freePort() }
    // Without the rules proxy (which the tests otherwise put in front), the port is fauxqs's own.
    const run = await startLocalRun(dataDir.path, { SQS_PORT: String(ports.SQS_PORT), POSTGRES_PORT: String(ports.POSTGRES_PORT), SQS_EMULATOR_RULES: 'off' })
    try {
      const listening = { PORT: Number(new URL(run.base).port), ...ports }
      const wide = await Promise.all(Object.entries(listening).map(async ([name, port]) => ((await loopbackOnly(port)) ? [] : [name])))
      expect(wide.flat()).toEqual([])
    } finally {
      expect(await run.interrupt()).toBe(0)
    }
  }, 120_000)

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


describe('a second npm start on the same data folder, with other ports', () => {
  it('is refused in one line naming DATA_DIR, and the first keeps running with its todos, across a restart too', async () => {
    const first = await startLocalRun(sharedDir.path)
    try {
      const kept = await httpCall('POST', `${first.base}/api/v1/todos`, { title: 'written by the first' })
      const refusal = await startLocalRun(sharedDir.path).catch((err: Error) => err.message)
      expect(refusal).toMatch(new RegExp(`\\nCould not start: DATA_DIR \\(${sharedDir.path}\\) is in use by another PostgreSQL server \\(process \\d+, port \\d+\\); stop that one, or choose another folder with DATA_DIR=\\.\\.\\.\\n`))
      expect(refusal).not.toMatch(/^\s+at /m)
      expect((await httpCall('POST', `${first.base}/api/v1/todos`, { title: 'written after' })).status).toBe(201)
      expect(await first.interrupt()).toBe(0)

      const again = await startLocalRun(sharedDir.path)
      try {
        const titles = ((await httpCall('GET', `${again.base}/api/v1/todos`)).json as Array<{ title: string }>).map((todo) => todo.title)
        expect(titles).toEqual([kept.json.title, 'written after'])
      } finally {
        await again.interrupt()
      }
    } finally {
      await first.interrupt()
    }
  }, 120_000)
})

describe('npm start killed with SIGKILL, its whole process group at once', () => {
  it('leaves no database running on its folder: the next start works, with the todos', async () => {
    running = await startNpmStart(sharedDir.path)
    const kept = await httpCall('POST', `${running.base}/api/v1/todos`, { title: 'before kill -9' })
    expect(kept.status).toBe(201)
    process.kill(-running.child.pid!, 'SIGKILL')
    running = undefined

    const next = await startLocalRun(sharedDir.path)
    try {
      expect((await httpCall('GET', `${next.base}/api/v1/todos/${kept.json.id}`)).json).toEqual(kept.json)
    } finally {
      expect(await next.interrupt()).toBe(0)
    }
  }, 120_000)
})

describe('Ctrl-C while npm start is still starting', () => {
  it('stops cleanly, and says nothing of a failure to start', async () => {
    // As soon as the database is up, before the services are ready.
    const run = await startNpmStart(sharedDir.path, {}, 'PostgreSQL 17 (embedded)')
    await run.interruptGroup()
    expect(run.output()).toContain('Stopped.')
    expect(run.output()).not.toMatch(/Could not start|exited before it was ready|exited unexpectedly/)
  }, 120_000)
})

describe('Ctrl-C with a job in hand under WORKER_DELAY_SECONDS', () => {
  it('says the worker is finishing it first, and it finishes', async () => {
    const run = await startLocalRun(sharedDir.path, { WORKER_DELAY_SECONDS: '3', LOG_LEVEL: 'info' })
    const { json } = await httpCall('POST', `${run.base}/api/v1/todos/ical`)
    for (let i = 0; i < 100 && (await httpCall('GET', `${run.base}/api/v1/todos/ical/${json.task_id}/status`)).json.task_status !== 'STARTED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(await run.interrupt()).toBe(0)
    expect(run.output()).toContain('finishing the 1 job in hand first (WORKER_DELAY_SECONDS=3), then stopping')
    const again = await startLocalRun(sharedDir.path)
    try {
      expect((await httpCall('GET', `${again.base}/api/v1/todos/ical/${json.task_id}/status`)).json.task_status).toBe('SUCCESS')
    } finally {
      await again.interrupt()
    }
  }, 120_000)
})
