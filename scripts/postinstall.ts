/**
 * Runs after `npm ci`/`npm install`, on the Node that npm installed into node_modules (the npm
 * package `node`, the images' major). The containers' workspace is installed, then cdktf's
 * terminal module (node-pty, a native addon that `cdktf deploy` needs) is built for that Node if
 * none of its prebuilt binaries fits: they stop at Node 22. A failed build only means the cdktf
 * CLI cannot deploy; npm run deploy drives terraform itself and does not need it.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './lib/paths.js'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
execFileSync(npm, ['--prefix', 'containers', 'ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' })

const PTY = '@cdktf/node-pty-prebuilt-multiarch'
const loads = () => spawnSync(process.execPath, ['-e', `require(${JSON.stringify(PTY)})`], { cwd: ROOT, stdio: 'ignore' }).status === 0

/** The headers that came with the Node in node_modules, so node-gyp builds for it and downloads nothing. */
function nodeHeaders(): string | undefined {
  const dir = join(ROOT, 'node_modules', 'node', 'node_modules')
  if (!existsSync(dir)) return undefined
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .find((path) => existsSync(join(path, 'include', 'node', 'node.h')))
}

if (!loads()) {
  console.log(`Building ${PTY} for Node ${process.versions.node} (cdktf's own prebuilt binaries stop at Node 22)...`)
  const headers = nodeHeaders()
  // npm_config_nodedir overrides a machine-wide nodedir that names another Node's headers.
  spawnSync(npm, ['rebuild', PTY], { cwd: ROOT, stdio: 'ignore', shell: process.platform === 'win32', env: { ...process.env, npm_config_nodedir: headers ?? '' } })
  console.log(
    loads()
      ? `Built ${PTY}: the cdktf CLI (npx cdktf deploy) works on this Node.`
      : `Could not build ${PTY} (it needs Python 3 and a C++ compiler): npx cdktf deploy will not run on Node ${process.versions.node}; npm run deploy, destroy, pause and resume do not need it.`,
  )
}
