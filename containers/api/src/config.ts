import { AWS_APP_ID, databaseFrom, jobSettingsFrom, readServiceEnv, sqsEndpointFrom, type DatabaseConfig, type ReconcilerSettings, type SqsConfig } from '@taskoverflow/shared'

export interface ApiConfig {
  port: number
  host: string
  /** Behind a load balancer, trust one proxy hop for the client's protocol and host. */
  trustProxy: boolean
  /** Calendar exports a minute from one client; 0 is no limit. */
  exportsPerMinute: number
  /** Todos created, changed or deleted a minute by one client; 0 is no limit. */
  todoWritesPerMinute: number
  logLevel: string
  queueUrl: string
  deadLetterQueueUrl: string | undefined
  database: DatabaseConfig
  sqs: SqsConfig
  /** The API runs the reconciler too, so jobs end within their deadline with no worker at all. */
  reconciler: ReconcilerSettings
}

/** The API's settings, read once from its environment (the declaration is service-env.ts). */
export function loadApiConfig(env: Record<string, string | undefined>): ApiConfig {
  const e = readServiceEnv('api', env)
  return {
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.TRUST_PROXY,
    exportsPerMinute: e.EXPORTS_PER_MINUTE,
    todoWritesPerMinute: e.TODO_WRITES_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
    queueUrl: e.ICAL_QUEUE_URL,
    deadLetterQueueUrl: e.ICAL_DEAD_LETTER_QUEUE_URL,
    database: databaseFrom(e, 'api'),
    // Short timeouts and one retry: a client waiting on POST /todos/ical gets a 503 within seconds.
    sqs: { region: e.AWS_REGION, endpoint: sqsEndpointFrom(e), connectTimeoutMs: 1_000, requestTimeoutMs: 3_000, maxAttempts: 2, appId: AWS_APP_ID.api },
    reconciler: jobSettingsFrom(e).reconciler,
  }
}
