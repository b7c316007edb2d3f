import { fileURLToPath } from 'node:url'
import express from 'express'
import helmet from 'helmet'
import { pinoHttp } from 'pino-http'
import { IcalJobRepository, JobDispatcher, PipelineRepository, RateLimitRepository, TodoRepository, type Database, type Logger } from '@taskoverflow/shared'
import type { SQSClient } from '@aws-sdk/client-sqs'
import { AppError, errorHandler, notFound } from './errors.js'
import { PostgresRateLimitStore } from './rate-limit-store.js'
import { healthRoutes } from './routes/health.js'
import { icalRoutes } from './routes/ical.js'
import { pipelineRoutes } from './routes/pipeline.js'
import { todoRoutes } from './routes/todos.js'
import { IcalExportService } from './services/ical-export-service.js'
import { PipelineService } from './services/pipeline-service.js'
import { QueueGauge } from './services/queue-gauge.js'
import { TodoService } from './services/todo-service.js'

export interface AppDeps {
  readonly db: Database
  readonly sqs: SQSClient
  readonly queueUrl: string
  /** The job queue's dead-letter queue, for its count in the pipeline view. */
  readonly deadLetterQueueUrl?: string
  /** How long one reading of the queues' counts serves every page. @default 2000 */
  readonly queueCountsMaxAgeMs?: number
  readonly logger: Logger
  /** @default false */
  readonly trustProxy?: boolean
  /** Calendar exports a minute from one client, counted in the database for every process; 0 is no limit. @default 0 */
  readonly exportsPerMinute?: number
  /** Todos created, changed or deleted a minute by one client, counted likewise; 0 is no limit. @default 0 */
  readonly todoWritesPerMinute?: number
  /** The web page's files. @default containers/api/public */
  readonly publicDir?: string
}

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url))

/**
 * Only this origin's own files: no inline script or style, no framing. Served over plain HTTP
 * behind the load balancer, so upgrade-insecure-requests (which would break the page) and HSTS
 * (which browsers ignore over HTTP) are left out.
 */
const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  strictTransportSecurity: false,
})

/** Bodies are small todos; anything larger than this is refused with 413. */
const BODY_LIMIT = '16kb'

/** Express rewrites `url` inside routers; `originalUrl` is what the client asked for. */
const path = (req: { url?: string; originalUrl?: string }) => req.originalUrl ?? req.url

/** Builds the API's HTTP side from its dependencies; `compose.ts` listens and runs the reconciler beside it. */
export function createApp(deps: AppDeps): express.Express {
  const todos = new TodoService(new TodoRepository(deps.db))
  const jobs = new IcalJobRepository(deps.db)
  const exports = new IcalExportService(jobs, new JobDispatcher(deps.sqs, deps.queueUrl, jobs, { whenRefused: 'remove', logger: deps.logger }), deps.logger)
  const gauge = new QueueGauge(deps.sqs, deps.queueUrl, deps.deadLetterQueueUrl, deps.logger, deps.queueCountsMaxAgeMs)
  const pipeline = new PipelineService(new PipelineRepository(deps.db), gauge)

  const app = express()
  app.disable('x-powered-by')
  // API answers are no-store, so an ETag (a hash of every body) would buy nothing; the page's
  // static files get theirs from express.static.
  app.set('etag', false)
  // Exactly one hop, the load balancer: trusting every hop would let a client name its own address.
  app.set('trust proxy', deps.trustProxy ? 1 : false)
  app.use(securityHeaders)
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
  api.use((_req, res, next) => {
    // Todos and job states change at any time; a finished calendar overrides this (it never changes).
    res.set('Cache-Control', 'no-store')
    next()
  })
  api.use(express.json({ limit: BODY_LIMIT }))
  api.use((req, _res, next) => {
    // The right header and no body: say so, rather than ask for the header again.
    if (req.body === undefined && ['POST', 'PUT'].includes(req.method) && /^application\/json\b/i.test(req.get('content-type') ?? '')) {
      throw new AppError(400, 'The request body is empty; send a JSON object')
    }
    next()
  })
  api.use(healthRoutes())
  api.use(icalRoutes(exports, { perMinute: deps.exportsPerMinute ?? 0, store: new PostgresRateLimitStore(new RateLimitRepository(deps.db), 'exports:') }))
  api.use(pipelineRoutes(pipeline, gauge.maxAgeMs))
  api.use(todoRoutes(todos, { perMinute: deps.todoWritesPerMinute ?? 0, store: new PostgresRateLimitStore(new RateLimitRepository(deps.db), 'todo-writes:') }))
  app.use('/api/v1', api)
  // The page's files are small and not fingerprinted: revalidate each time (ETag, 304).
  app.use(express.static(deps.publicDir ?? PUBLIC_DIR, { index: 'index.html', setHeaders: (res) => res.set('Cache-Control', 'no-cache') }))

  app.use(notFound)
  app.use(errorHandler(deps.logger))
  return app
}
