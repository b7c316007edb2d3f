/**
 * `npm run queue -- --name csse6400_prac --client-name "Client 1"`: the queue demo CLI without
 * Docker. Like the practical, it reads the Learner Lab credentials from ./credentials (or
 * TASKOVERFLOW_CREDENTIALS_FILE) when that file exists; otherwise the standard AWS chain (env, ~/.aws) applies.
 */
import { writeSync } from 'node:fs'
import { run } from '../containers/queue-cli/src/cli.js'
import { useCredentialsFile } from '../stacks/credentials-file.js'
import { ROOT } from './lib/paths.js'

/** The CLI's flags that take a value, and the one that does not; npm keeps each for itself as npm_config_NAME when it comes before `--`. */
const VALUED = ['name', 'client-name', 'prepend', 'count', 'region', 'endpoint']
const SWITCHES = ['receive']

/**
 * `npm run queue --name x --client-name "Client 1"` (no `--`): npm took the flags (a value it
 * took for a switch comes through as an argument), and the CLI would only say --name is missing.
 * The command as it should have been, or none when npm took nothing.
 */
function meantCommand(env: NodeJS.ProcessEnv, args: string[]): string[] {
  const rest = [...args]
  const quote = (value: string) => (/^[\w.:/-]+$/.test(value) ? value : JSON.stringify(value))
  return [...VALUED, ...SWITCHES].flatMap((flag) => {
    const value = env[`npm_config_${flag.replace(/-/g, '_')}`]
    if (value === undefined) return []
    if (SWITCHES.includes(flag)) return [`--${flag}`]
    const given = value === 'true' ? rest.shift() : value
    return given === undefined ? [`--${flag}`] : [`--${flag}`, quote(given)]
  })
}

const meant = meantCommand(process.env, process.argv.slice(2))
if (meant.length > 0) {
  writeSync(2, `npm took the flags for itself: put -- after the script name, as in\n  npm run queue -- ${meant.join(' ')}\n`)
  process.exit(2)
}
useCredentialsFile(process.env, ROOT)
process.exitCode = await run(process.argv, process.env, 'npm run queue --')
