import { ConfigError } from './config.js'

/** Stops a service; the signal says whether someone waits at a terminal (SIGINT) or a supervisor does (SIGTERM). */
export type Stop = (signal: NodeJS.Signals) => Promise<void>

/**
 * Runs a long-lived service: a configuration error prints its message and exits 1 without a
 * stack trace; once started it says `NAME: ready` on stderr (whatever the log level, for
 * supervisors and tests); SIGTERM (what ECS sends) or SIGINT (Ctrl-C) calls `stop` once, then
 * exits 0.
 */
export function runService(name: string, start: () => Promise<Stop>): void {
  start().then(
    (stop) => {
      process.stderr.write(`${name}: ready\n`)
      let stopping = false
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) return
        stopping = true
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
    },
    (err: unknown) => {
      const message = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)
      process.stderr.write(`${name}: could not start.\n${message}\n`)
      process.exit(1)
    },
  )
}
