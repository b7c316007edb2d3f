import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/lib/net.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { smoke } from '../../scripts/smoke.js'
import { call } from '../support/system.js'

const dataDir = mkdtempSync(join(tmpdir(), 'taskoverflow-local-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

interface Run {
  child: ChildProcess
  output: () => string
  base: string
}

/** `npm start` without npm: the runner itself, on free ports, with a data folder of its own. */
async function startLocal(): Promise<Run> {
  const [port, sqsPort, pglitePort] = [await freePort(), await freePort(), await freePort()]
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-local.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), SQS_PORT: String(sqsPort), PGLITE_PORT: String(pglitePort), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no welcome within 60 s:\n${output}`)), 60_000)
    child.stdout!.on('data', () => {
      if (output.includes('Stop with Ctrl-C.')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
  return { child, output: () => output, base: `http://localhost:${port}` }
}

async function interrupt(run: Run): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => run.child.once('exit', resolve))
  run.child.kill('SIGINT')
  return exited
}

describe('npm start', () => {
  it('runs the whole system, passes the smoke test, stops on Ctrl-C and keeps todos across a restart', async () => {
    const first = await startLocal()
    expect(first.output()).toContain(`TaskOverflow is running: ${first.base}`)
    expect(first.output()).toContain(`curl -X POST ${first.base}/api/v1/todos/ical`)

    const lines: string[] = []
    await smoke(first.base, 30, (line) => lines.push(line))
    expect(lines.filter((line) => line.startsWith('  ok'))).toHaveLength(6)

    const kept = await call('POST', `${first.base}/api/v1/todos`, { title: 'survives a restart' })
    expect(kept.status).toBe(201)
    expect(await interrupt(first)).toBe(0)
    expect(first.output()).toContain('Stopped.')

    const second = await startLocal()
    try {
      const again = await call('GET', `${second.base}/api/v1/todos/${kept.json.id}`)
      expect(again.json).toEqual(kept.json)
    } finally {
      expect(await interrupt(second)).toBe(0)
    }
  }, 120_000)
})
