import { writeSync } from 'node:fs'
import { ConfigError, SETTINGS_PAGE } from '@taskoverflow/shared'

/**
 * Runs each read of settings and returns the first's value, or throws one ConfigError with the
 * problems of them all: a command that passes settings on to others (npm start to the services)
 * names every wrong variable at once, not the next one after each fix.
 */
export function readAll<T>(read: () => T, ...others: Array<() => unknown>): T {
  const problems: string[] = []
  let value: T | undefined
  for (const [i, fn] of [read, ...others].entries()) {
    try {
      const result = fn()
      if (i === 0) value = result as T
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      problems.push(...err.problems.filter((problem) => !problems.includes(problem)))
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return value as T
}

/**
 * For a command whose settings are all environment variables: `--help` says what it does and
 * where its settings are listed; anything else on its command line (a stack name, a `--port`) is
 * refused with exit 2, rather than run as if it had been understood. Called before anything else
 * runs, so `npm run pause -- --help` pauses nothing.
 */
export function refuseArguments(command: string, does: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (argv.length === 0) return
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    writeSync(1, `${command}: ${does}.\nIt takes no arguments; its settings are environment variables, listed in ${SETTINGS_PAGE}.\n`)
    process.exit(0)
  }
  writeSync(2, `${command} takes no arguments (given: ${argv.join(' ')}); its settings are environment variables, listed in ${SETTINGS_PAGE}.\n`)
  process.exit(2)
}

/**
 * For a command's entry file: the settings `read` returns, or, when one is wrong, the message
 * naming every wrong variable on stderr and exit 1, without a stack trace.
 */
export function settingsOrExit<T>(read: () => T): T {
  try {
    return read()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    // Written before exiting: where stderr is a pipe, console.error may still be buffering.
    writeSync(2, `${err.message}\n`)
    process.exit(1)
  }
}
