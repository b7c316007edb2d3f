import { isAwsError } from './aws-errors.js'
import { ConfigError } from './env.js'

/** Stops a service; the signal says whether someone waits at a terminal (SIGINT) or a supervisor does (SIGTERM). */
export type Stop = (signal: NodeJS.Signals) => Promise<void>

/**
 * Runs a long-lived service: a configuration error prints its message and exits 1 without a
 * stack trace; once started it says `NAME: ready` on stderr (whatever the log level, for
 * supervisors and tests); SIGTERM (what ECS sends) or SIGINT (Ctrl-C) calls `stop` once, then
 * exits 0.
 *
 * The handlers are in place before anything starts. Start-up may wait a minute for the database,
 * and a signal then must not be left to the default action: as PID 1 in a container the process
 * would ignore it until SIGKILL. Nothing has been accepted or received before `start` resolves,
 * so a signal during start-up exits at once.
 */
export function runService(name: string, start: () => Promise<Stop>): void {
  let stop: Stop | undefined
  let stopping = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    if (!stop) {
      process.stderr.write(`${name}: ${signal} received during start-up, stopping\n`)
      process.exit(0)
    }
    process.stderr.write(`${name}: ${signal} received, stopping\n`)
    stop(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`${name}: failed to stop cleanly: ${String(err)}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)

  start().then(
    (started) => {
      stop = started
      process.stderr.write(`${name}: ready\n`)
    },
    (err: unknown) => {
      const message = err instanceof ConfigError ? err.message : isAwsError(err) ? `${err.name}: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err)
      process.stderr.write(`${name}: could not start.\n${message}\n`)
      process.exit(1)
    },
  )
}
