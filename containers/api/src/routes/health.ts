import { Router } from 'express'
import { methodNotAllowed } from '../errors.js'

/**
 * Liveness only: the load balancer replaces tasks that fail it, and replacing every task
 * because the database is briefly away would turn a blip into an outage.
 */
export function healthRoutes(): Router {
  const router = Router()
  router
    .route('/health')
    .get((_req, res) => {
      res.json({ status: 'ok' })
    })
    .all(methodNotAllowed(['GET']))
  return router
}
