import { join } from 'node:path'
import { field, jobTimingEnv, parseEnv, serviceEnv } from '@taskoverflow/shared'
import { loadApiConfig } from '../../containers/api/src/config.js'
import { loadWorkerConfig } from '../../containers/worker/src/config.js'
import { ROOT } from './paths.js'
import { readAll } from './settings.js'

/** Where npm start keeps the embedded PostgreSQL's data unless DATA_DIR says otherwise. */
export const DEFAULT_DATA_DIR = join(ROOT, '.data', 'postgres')
/** Where an earlier version kept the embedded PGlite's data by default, carried over from once. */
export const EARLIER_DEFAULT_DATA_DIR = join(ROOT, '.data', 'pglite')

/**
 * The environment the services will get, with stand-ins for what npm start checks itself or
 * fills in once running, so their own settings are checked before anything starts.
 */
const servicesEnv = (env: NodeJS.ProcessEnv) => ({
  ...env,
  ...{ DATABASE_URL: 'postgres://postgres@127.0.0.1/postgres', ICAL_QUEUE_URL: 'http://127.0.0.1/000000000000/ical', HOST: '127.0.0.1' },
  ...{ ICAL_DEAD_LETTER_QUEUE_URL: undefined, PORT: undefined, AWS_REGION: undefined, WORKER_DELAY_SECONDS: undefined, LOG_LEVEL: undefined },
  SQS_ENDPOINT: env.ICAL_QUEUE_URL ? env.SQS_ENDPOINT : 'http://127.0.0.1',
})

/**
 * npm start's settings; a ConfigError names every wrong one, its own and the services' alike.
 * Those it passes on to the services are the services' own fields.
 */
export function readLocalSettings(env: NodeJS.ProcessEnv) {
  return readAll(
    () =>
      parseEnv(
        {
          PORT: field.port().default(6400),
          // 0: any free port (the tests), chosen when listening, so no other process can take it first.
          SQS_PORT: field.integer(0, 65535).default(4566),
          POSTGRES_PORT: field.integer(0, 65535).default(5433),
          DATA_DIR: field.text().default(DEFAULT_DATA_DIR),
          DATABASE_URL: serviceEnv.DATABASE_URL.optional(),
          ICAL_QUEUE_URL: field.httpUrl('the URL of a real SQS queue').optional(),
          ICAL_DEAD_LETTER_QUEUE_URL: field.httpUrl('the URL of its dead-letter queue').optional(),
          AWS_REGION: serviceEnv.AWS_REGION,
          WORKER_DELAY_SECONDS: jobTimingEnv.WORKER_DELAY_SECONDS,
          LOG_LEVEL: serviceEnv.LOG_LEVEL,
        },
        env,
      ),
    () => loadApiConfig(servicesEnv(env)),
    () => loadWorkerConfig(servicesEnv(env)),
  )
}
