import type { DatabaseConfig } from './db.js'
import type { ReconcilerSettings } from './reconciler.js'
import { jobTimingOf, type AnyServiceEnv, type ServiceName } from './service-env.js'
import { passwordSourceFrom } from './password.js'

// What both services build from their settings (service-env.ts): the database, the queue's endpoint, the job timing.

/**
 * How each service names itself in its AWS requests (the SDKs' userAgentAppId, which goes in the
 * user agent): CloudTrail's userAgent then tells the API's calls from the worker's, even where
 * both run as one role (LabRole), and the tests attribute each call they see to its service.
 */
export const AWS_APP_ID = { api: 'taskoverflow-api', worker: 'taskoverflow-worker' } as const

/** The database as the pool takes it, the password from wherever the settings say. */
export function databaseFrom(e: AnyServiceEnv, service: ServiceName): DatabaseConfig {
  const password = passwordSourceFrom({ password: e.DATABASE_PASSWORD, passwordFile: e.DATABASE_PASSWORD_FILE, passwordSecretArn: e.DATABASE_PASSWORD_SECRET_ARN, region: e.AWS_REGION, appId: AWS_APP_ID[service] })
  return { url: e.DATABASE_URL, password, poolSize: e.DATABASE_POOL_SIZE }
}

/**
 * The SQS endpoint the settings name: SQS_ENDPOINT, else the SDKs' standard AWS_ENDPOINT_URL_SQS
 * or AWS_ENDPOINT_URL. It is given to the client as its endpoint, so every request goes there,
 * not to the host inside a queue URL the emulator returned.
 */
export function sqsEndpointFrom(e: { SQS_ENDPOINT?: string; AWS_ENDPOINT_URL_SQS?: string; AWS_ENDPOINT_URL?: string }): string | undefined {
  return e.SQS_ENDPOINT ?? e.AWS_ENDPOINT_URL_SQS ?? e.AWS_ENDPOINT_URL
}

/** The job timing both services read, as given by whoever started them (the same for both), and the reconciler's. */
export function jobSettingsFrom(e: AnyServiceEnv): { timing: ReturnType<typeof jobTimingOf>; reconciler: ReconcilerSettings } {
  const timing = jobTimingOf(e)
  return {
    timing,
    reconciler: {
      intervalSeconds: e.RECONCILE_INTERVAL_SECONDS,
      unsentAfterSeconds: e.JOB_UNSENT_AFTER_SECONDS,
      deadlineSeconds: timing.deadlineSeconds,
      progressWindowSeconds: timing.progressWindowSeconds,
      messageRetentionSeconds: timing.messageRetentionSeconds,
      retentionDays: e.JOB_RETENTION_DAYS,
    },
  }
}
