import { join } from 'node:path'
import { ConfigError, field, parseEnv, SERVICE_ENV } from '@taskoverflow/shared'
import { passedOnProblems } from '../../containers/shared/src/service-env.js'
import { SQS_EMULATOR_RULES } from './embedded-sqs.js'
import { ROOT } from '../lib/paths.js'
import { readAll } from '../lib/settings.js'

/** Where npm start keeps the embedded PostgreSQL's data unless DATA_DIR says otherwise. */
export const DEFAULT_DATA_DIR = join(ROOT, '.data', 'postgres')
/** Where an earlier version kept the embedded PGlite's data by default, carried over from once. */
export const EARLIER_DEFAULT_DATA_DIR = join(ROOT, '.data', 'pglite')

/**
 * npm start's settings: its own, and the services' that it writes for them (service-env.ts), in
 * the services' own formats. The job timing's are its to own: it computes the rest of the timing
 * from them and gives the queue and both services the same.
 */
const LOCAL_SETTINGS = {
  PORT: SERVICE_ENV.PORT.schema,
  // 0: any free port (the tests), chosen when listening, so no other process can take it first.
  SQS_PORT: field.integer(0, 65535).default(4566),
  SQS_EMULATOR_RULES,
  POSTGRES_PORT: field.integer(0, 65535).default(5433),
  DATA_DIR: field.text().default(DEFAULT_DATA_DIR),
  DATABASE_URL: SERVICE_ENV.DATABASE_URL.schema.optional(),
  ICAL_QUEUE_URL: field.httpUrl('the URL of a real SQS queue').optional(),
  ICAL_DEAD_LETTER_QUEUE_URL: SERVICE_ENV.ICAL_DEAD_LETTER_QUEUE_URL.schema,
  AWS_REGION: SERVICE_ENV.AWS_REGION.schema,
  // Where the services reach SQS, as they would read it: npm start asks the real queue first.
  SQS_ENDPOINT: SERVICE_ENV.SQS_ENDPOINT.schema,
  AWS_ENDPOINT_URL_SQS: SERVICE_ENV.AWS_ENDPOINT_URL_SQS.schema,
  AWS_ENDPOINT_URL: SERVICE_ENV.AWS_ENDPOINT_URL.schema,
  LOG_LEVEL: SERVICE_ENV.LOG_LEVEL.schema,
  WORKER_DELAY_SECONDS: SERVICE_ENV.WORKER_DELAY_SECONDS.schema,
  JOB_MAX_RECEIVES: SERVICE_ENV.JOB_MAX_RECEIVES.schema,
  SQS_VISIBILITY_TIMEOUT_SECONDS: SERVICE_ENV.SQS_VISIBILITY_TIMEOUT_SECONDS.schema,
  JOB_DEADLINE_SECONDS: SERVICE_ENV.JOB_DEADLINE_SECONDS.schema,
}

/** What npm start itself sets for the services, beside its own settings above. */
const WRITTEN = ['HOST']

/** Names of an earlier version's npm start, and what they are now. */
const RENAMED: Record<string, string> = { PGLITE_PORT: 'POSTGRES_PORT' }

/**
 * npm start's settings; a ConfigError names every wrong one at once, its own, the services' it
 * passes on from the environment as they are, and slips of either.
 */
export function readLocalSettings(env: NodeJS.ProcessEnv) {
  const own = Object.keys(LOCAL_SETTINGS)
  const passedOn = [
    ...Object.keys(env).flatMap((name) => (RENAMED[name] ? [`${name} is now ${RENAMED[name]}`] : [])),
    ...passedOnProblems(env, { writes: [...own, ...WRITTEN], known: own }),
  ]
  return readAll(
    () => parseEnv(LOCAL_SETTINGS, env),
    () => {
      if (passedOn.length > 0) throw new ConfigError(passedOn)
    },
  )
}
