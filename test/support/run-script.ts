import { spawn } from 'node:child_process'
import { ROOT } from '../../scripts/lib/paths.js'

/** A valid-looking Learner Lab credentials file (the stand-ins check no signature). */
export const LAB_CREDENTIALS = '[default]\naws_access_key_id=ASIA4ABCDEFG12345678\naws_secret_access_key=abcdef0123456789abcdef0123456789abcdef01\naws_session_token=IQoJb3JpZ2luX2VjEJr\n'

/**
 * `npm run <script>` without npm: scripts/SCRIPT.ts on this Node with tsx, in a bare environment
 * plus `env`, with arguments. Resolves to its exit code and everything it printed.
 */
export function runScript(script: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.once('exit', (code) => resolve({ code, output }))
  })
}
