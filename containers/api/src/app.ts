import express from 'express'
import helmet from 'helmet'
import { pinoHttp } from 'pino-http'
import { IcalJobRepository, JobQueue, TodoRepository, type Logger, type Queryable } from '@taskoverflow/shared'
import type { SQSClient } from '@aws-sdk/client-sqs'
import { errorHandler, notFound } from './errors.js'
import { healthRoutes } from './routes/health.js'
import { icalRoutes } from './routes/ical.js'
import { todoRoutes } from './routes/todos.js'
import { IcalExportService } from './services/ical-export-service.js'
import { TodoService } from './services/todo-service.js'

export interface AppDeps {
  readonly db: Queryable
  readonly sqs: SQSClient
  readonly queueUrl: string
  readonly logger: Logger
  /** @default false */
  readonly trustProxy?: boolean
}

/** Bodies are small todos; anything larger than this is refused with 413. */
export const BODY_LIMIT = '16kb'

/** Express rewrites `url` inside routers; `originalUrl` is what the client asked for. */
const path = (req: { url?: string; originalUrl?: string }) => req.originalUrl ?? req.url

/** Builds the API from its dependencies; `server.ts` is the only place that listens on a port. */
export function createApp(deps: AppDeps): express.Express {
  const todos = new TodoService(new TodoRepository(deps.db))
  const exports = new IcalExportService(new IcalJobRepository(deps.db), new JobQueue(deps.sqs, deps.queueUrl), deps.logger)

  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', deps.trustProxy ?? false)
  app.use(helmet())
  app.use(
    pinoHttp({
      logger: deps.logger,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      customSuccessMessage: (req, res, ms) => `${req.method} ${path(req)} ${res.statusCode} ${Math.round(ms)} ms`,
      customErrorMessage: (req, res) => `${req.method} ${path(req)} ${res.statusCode}`,
      // One line per request; headers stay out of the logs (they may carry credentials).
      serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }), res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
    }),
  )

  const api = express.Router()
  api.use(express.json({ limit: BODY_LIMIT }))
  api.use(healthRoutes())
  api.use(icalRoutes(exports))
  api.use(todoRoutes(todos))
  app.use('/api/v1', api)

  app.use(notFound)
  app.use(errorHandler(deps.logger))
  return app
}
