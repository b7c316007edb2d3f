import { Router, type Request } from 'express'
import type { Store } from 'express-rate-limit'
import { methodNotAllowed } from '../errors.js'
import type { IcalExportService } from '../services/ical-export-service.js'
import { parseEmptyBody, parseTaskId } from '../validation.js'
import { perClientLimit } from './per-client-limit.js'
import { timelineJson } from './timeline-json.js'

/** Absolute URLs, as the practical's clients follow `task_url` as given. */
function taskUrl(req: Request, id: string, what: 'status' | 'result'): string {
  // The Host header, never X-Forwarded-Host: the load balancer keeps the first and passes a
  // client's second through untouched. The protocol is the one hop Express trusts (X-Forwarded-Proto).
  return `${req.protocol}://${req.get('host')}${req.baseUrl}/todos/ical/${id}/${what}`
}

/**
 * The export limit keeps anyone from filling the queue without end; what the calendars they make
 * may take is bounded where they are stored (CALENDAR_STORAGE_MB).
 */
export function icalRoutes(exports: IcalExportService, limits: { perMinute: number; store: Store }): Router {
  const router = Router()
  const limit = perClientLimit(limits.perMinute, limits.store, 'exports')

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
