import { Router } from 'express'
import type { Store } from 'express-rate-limit'
import { methodNotAllowed } from '../errors.js'
import { perClientLimit } from './per-client-limit.js'
import type { TodoService } from '../services/todo-service.js'
import { parseCreateTodo, parseTodoFilter, parseTodoId, parseUpdateTodo } from '../validation.js'

/** Writes are limited per client, as exports are: each changes the next calendar, and each is a row's worth of log and churn. */
export function todoRoutes(todos: TodoService, writes: { perMinute: number; store: Store }): Router {
  const router = Router()
  const limit = perClientLimit(writes.perMinute, writes.store, 'changes to todos')

  router
    .route('/todos')
    .get(async (req, res) => {
      res.type('application/json').send(await todos.listJson(parseTodoFilter(req.query)))
    })
    .post(...limit, async (req, res) => {
      res.status(201).json(await todos.create(parseCreateTodo(req.body)))
    })
    .all(methodNotAllowed(['GET', 'POST']))

  router
    .route('/todos/:id')
    .get(async (req, res) => {
      res.json(await todos.get(parseTodoId(req.params.id)))
    })
    .put(...limit, async (req, res) => {
      const id = parseTodoId(req.params.id)
      res.json(await todos.update(id, parseUpdateTodo(req.body)))
    })
    .delete(...limit, async (req, res) => {
      res.json(await todos.delete(parseTodoId(req.params.id)))
    })
    .all(methodNotAllowed(['GET', 'PUT', 'DELETE']))

  return router
}
