import { isAwsError } from './aws-errors.js'
import { ConfigError } from './env.js'
import { openServiceResources, type ServiceResources } from './resources.js'
import type { DatabaseConfig } from './db.js'
import type { SqsConfig } from './sqs.js'

/** A service as its entry point runs it: started once it is ready to work, stopped on a signal. */
export interface Service {
  start(): Promise<void>
  /** `interactive`: someone waits at a terminal (Ctrl-C), rather than a supervisor (ECS's SIGTERM). */
  stop(options?: { interactive?: boolean }): Promise<void>
}

/** What every service's settings hold for its resources (service-env.ts). */
export interface ServiceSettings {
  readonly logLevel: string
  readonly database: DatabaseConfig
  readonly sqs: SqsConfig
}

/** The resources a service is built from: logs, the migrated database, an SQS client. */
export type BuiltFrom = Pick<ServiceResources, 'logger' | 'pool' | 'sqs'>

/**
 * The start-up both services share, so they are assembled the same way: their settings read once
 * (`load`), their resources opened, the service built (`create`) and started. A configuration
 * error prints its message and exits 1 without a stack trace; once started it says `NAME: ready`
 * on stderr (whatever the log level, for supervisors and tests); SIGTERM (what ECS sends) or SIGINT
 * (Ctrl-C) stops it once, closes its resources, and exits 0.
 *
 * The signal handlers are in place before anything starts. Start-up may wait a minute for the
 * database, and a signal then must not be left to the default action: as PID 1 in a container the
 * process would ignore it until SIGKILL. Nothing has been accepted or received before `start`
 * resolves, so a signal during start-up exits at once.
 */
export function runService<Config extends ServiceSettings>(name: string, load: (env: NodeJS.ProcessEnv) => Config, create: (config: Config, resources: BuiltFrom) => Service): void {
  let stop: ((signal: NodeJS.Signals) => Promise<void>) | undefined
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

  const start = async () => {
    const config = load(process.env)
    const resources = await openServiceResources(name, config)
    const service = create(config, resources)
    await service.start()
    return async (signal: NodeJS.Signals) => {
      await service.stop({ interactive: signal === 'SIGINT' })
      await resources.close()
      resources.logger.info(`${name} stopped`)
    }
  }
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
