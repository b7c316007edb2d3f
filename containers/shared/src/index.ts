export { ConfigError, databaseFromEnv, field, jobTimingEnv, jobTimingFrom, onePasswordSource, parseEnv, serviceEnv, sqsEndpointFrom, type EnvCheck, type JobTiming } from './config.js'
export {
  classifyDatabaseError,
  createPool,
  inTransaction,
  isAuthenticationFailure,
  isDatabaseInaccessible,
  isDatabaseUnavailable,
  PasswordUnavailableError,
  poolOptions,
  type Database,
  type DatabaseErrorClass,
  type DatabaseConfig,
  type Queryable,
} from './db.js'
export { cachedPassword, filePassword, fixedPassword, passwordSourceFrom, secretsManagerPassword, type PasswordSource, type SecretsReader } from './password.js'
export { IcalJobRepository, type CalendarResult, type JobState, type JobStatus, type JobTimeline, type ReceivedJob } from './ical-jobs.js'
export { decodeJobMessage, encodeJobMessage, InvalidJobMessageError, type JobMessage } from './job-message.js'
export { JobQueue } from './job-queue.js'
export { LONG_POLL_SECONDS, MAX_RECEIVES, visibilityTimeoutSeconds, workerDrainSeconds, workerStopTimeoutSeconds } from './job-timing.js'
export { createLogger, type Logger } from './logger.js'
export { migrate, migrateWhenReady } from './migrations.js'
export { type JobEvent, type JobStep } from './job-timeline.js'
export { PipelineRepository, type PublishedWorker, type WorkerCounters } from './pipeline.js'
export { RateLimitRepository, type Hits } from './rate-limits.js'
export { openServiceResources, type ServiceResources } from './resources.js'
export { createReconciler, serviceReconciler, type Reconciler, type ReconcilerOptions, type ReconcilerSettings } from './reconciler.js'
export { runService, type Stop } from './service.js'
export { createSqsClient, type SqsConfig } from './sqs.js'
export { MAX_TODOS, TodoRepository, type CalendarTodo, type Todo, type TodoChanges, type TodoFilter, type TodoInput } from './todos.js'
