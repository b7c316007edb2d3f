import { Router } from 'express'
import { methodNotAllowed } from '../errors.js'
import type { TodoService } from '../services/todo-service.js'
import { parseCreateTodo, parseTodoFilter, parseTodoId, parseUpdateTodo } from '../validation.js'

export function todoRoutes(todos: TodoService): Router {
  const router = Router()

  router
    .route('/todos')
    .get(async (req, res) => {
      res.type('application/json').send(await todos.listJson(parseTodoFilter(req.query)))
    })
    .post(async (req, res) => {
      res.status(201).json(await todos.create(parseCreateTodo(req.body)))
    })
    .all(methodNotAllowed(['GET', 'POST']))

  router
    .route('/todos/:id')
    .get(async (req, res) => {
      res.json(await todos.get(parseTodoId(req.params.id)))
    })
    .put(async (req, res) => {
      const id = parseTodoId(req.params.id)
      res.json(await todos.update(id, parseUpdateTodo(req.body)))
    })
    .delete(async (req, res) => {
      res.json(await todos.delete(parseTodoId(req.params.id)))
    })
    .all(methodNotAllowed(['GET', 'PUT', 'DELETE']))

  return router
}
