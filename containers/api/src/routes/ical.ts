import { Router, type Request } from 'express'
import { rateLimit, type Store } from 'express-rate-limit'
import { AppError, methodNotAllowed } from '../errors.js'
import type { IcalExportService } from '../services/ical-export-service.js'
import { parseEmptyBody, parseTaskId } from '../validation.js'
import { timelineJson } from './timeline-json.js'

/** Absolute URLs, as the practical's clients follow `task_url` as given. */
function taskUrl(req: Request, id: string, what: 'status' | 'result'): string {
  // The Host header, never X-Forwarded-Host: the load balancer keeps the first and passes a
  // client's second through untouched. The protocol is the one hop Express trusts (X-Forwarded-Proto).
  return `${req.protocol}://${req.get('host')}${req.baseUrl}/todos/ical/${id}/${what}`
}

/**
 * At most `perMinute` exports a minute from one client (by address: behind the load balancer,
 * the one hop Express trusts names it), so nobody can fill the queue and the database without
 * end; counted in `store`, which every API process shares. 0 turns it off (benchmarks and load
 * tests).
 */
function exportLimit(perMinute: number, store: Store) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    store,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, options) => {
      next(new AppError(429, `Too many exports: at most ${options.limit} a minute from one client; try again shortly`, undefined, { 'Retry-After': '60' }))
    },
  })
}

export function icalRoutes(exports: IcalExportService, limits: { perMinute: number; store: Store }): Router {
  const router = Router()
  const limit = limits.perMinute > 0 ? [exportLimit(limits.perMinute, limits.store)] : []

  router
    .route('/todos/ical')
    .post(...limit, async (req, res) => {
      parseEmptyBody(req.body)
      const id = await exports.request()
      res.status(202).json({ task_id: id, task_url: taskUrl(req, id, 'status') })
    })
    .all(methodNotAllowed(['POST']))

  router
    .route('/todos/ical/:taskId/status')
    .get(async (req, res) => {
      const state = await exports.status(parseTaskId(req.params.taskId))
      res.json({
        task_id: state.id,
        task_status: state.status,
        result_url: taskUrl(req, state.id, 'result'),
        ...(state.status === 'FAILURE' ? { error: state.error } : {}),
        // Beyond the practical's fields: each step so far, and the time between them.
        timeline: timelineJson(state.timeline),
      })
    })
    .all(methodNotAllowed(['GET']))

  router
    .route('/todos/ical/:taskId/result')
    .get(async (req, res) => {
      const id = parseTaskId(req.params.taskId)
      const calendar = await exports.calendar(id)
      res
        .type('text/calendar; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="taskoverflow-${id}.ics"`)
        // A finished export never changes.
        .set('Cache-Control', 'private, max-age=31536000, immutable')
        .send(calendar)
    })
    .all(methodNotAllowed(['GET']))

  return router
}
