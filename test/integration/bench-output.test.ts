import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { resultsDir } from '../../bench/lib/report.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { testFolder } from '../support/test-folder.js'

const out = testFolder('taskoverflow-bench-out-')
afterAll(() => out.remove())

const RECORD = ['bench/RESULTS.md', 'bench/results.json'].map((file) => join(ROOT, file))
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']

describe('npm run bench', () => {
  it('writes to bench/out/, which git ignores, unless asked to --record into bench/', () => {
    expect(resultsDir({})).toBe(join(ROOT, 'bench', 'out'))
    expect(resultsDir({ record: true })).toBe(join(ROOT, 'bench'))
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('bench/out/')
  })

  it('leaves the recorded results alone when run without --record', async () => {
    const before = RECORD.map(digest)
    // The cheapest benchmark: npm start, and 55 exports one after another.
    const child = spawn(npm[0]!, [...npm.slice(1), 'run', 'bench', '--', '--only', 'local', '--out', out.path], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk))
    const code = await new Promise((resolve) => child.once('close', resolve))
    expect({ code, output }).toMatchObject({ code: 0 })
    expect(RECORD.map(digest)).toEqual(before)
    const written = JSON.parse(readFileSync(join(out.path, 'results.json'), 'utf8')) as { figures: Array<{ source: string }> }
    expect(written.figures.map((figure) => figure.source)).toEqual(['local', 'local'])
    expect(existsSync(join(out.path, 'RESULTS.md'))).toBe(true)
    expect(output).toContain('--record')
  }, 180_000)
})
