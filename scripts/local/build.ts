import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { ROOT } from '../lib/paths.js'

const CONTAINERS = join(ROOT, 'containers')
const PROJECTS = ['shared', 'api', 'worker', 'queue-cli']

/** The newest modification time of a file or of anything under a folder. */
function newest(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs)
}

/**
 * Whether `tsc -b containers` would find nothing to do: every project's build info is newer than
 * its sources and its tsconfig (and the shared base config). A question of file times only, a few
 * milliseconds, where asking tsc itself costs a second of loading TypeScript.
 */
export function containersUpToDate(): boolean {
  const base = newest(join(CONTAINERS, 'tsconfig.base.json'))
  return PROJECTS.every((project) => {
    const dir = join(CONTAINERS, project)
    const info = join(dir, 'dist', '.tsbuildinfo')
    return existsSync(info) && statSync(info).mtimeMs >= Math.max(base, newest(join(dir, 'src')), newest(join(dir, 'tsconfig.json')))
  })
}

/** `npm run build`, in a process of its own: resolves when done, rejects with tsc's errors. */
export function buildContainers(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  const child = spawn(process.execPath, [tsc, '-b', CONTAINERS], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the containers do not compile (tsc -b containers):\n${output.trim()}`))))
  })
}
