import type { SQSClient } from '@aws-sdk/client-sqs'
import type pg from 'pg'
import { createPool, type DatabaseConfig } from './db.js'
import { createLogger, type Logger } from './logger.js'
import { migrateWhenReady } from './migrations.js'
import { createSqsClient, type SqsConfig } from './sqs.js'

export interface ServiceResources {
  readonly logger: Logger
  /** Connected to a database whose schema is up to date. */
  readonly pool: pg.Pool
  readonly sqs: SQSClient
  close(): Promise<void>
}

/** What the API and the worker both open at start: logs, the migrated database, an SQS client. */
export async function openServiceResources(
  name: string,
  config: { readonly logLevel: string; readonly database: DatabaseConfig; readonly sqs: SqsConfig },
): Promise<ServiceResources> {
  const logger = createLogger(name, config.logLevel)
  const pool = createPool(config.database, logger)
  try {
    await migrateWhenReady(pool, logger)
  } catch (err) {
    await pool.end()
    throw err
  }
  const sqs = createSqsClient(config.sqs)
  return {
    logger,
    pool,
    sqs,
    async close() {
      await pool.end()
      sqs.destroy()
    },
  }
}
