import { MAX_TODOS, type Todo, type TodoChanges, type TodoFilter, type TodoInput, type TodoRepository } from '@taskoverflow/shared'
import { AppError } from '../errors.js'

const TODO_NOT_FOUND = 'Todo not found'

/** The rules about todos: existence, how many there may be, and that an id is assigned by the server and never changes. */
export class TodoService {
  constructor(private readonly todos: TodoRepository) {}

  /** The list as JSON text, ready to send. */
  listJson(filter: TodoFilter): Promise<string> {
    return this.todos.listJson(filter)
  }

  async get(id: number): Promise<Todo> {
    return (await this.todos.get(id)) ?? notFound()
  }

  /** A new todo, while there are fewer than MAX_TODOS: past that, 409 (the worker's memory is the reason). */
  async create(input: TodoInput): Promise<Todo> {
    const created = await this.todos.create(input, MAX_TODOS)
    if (!created) throw new AppError(409, `There are already ${MAX_TODOS.toLocaleString('en')} todos, the most TaskOverflow keeps; delete some before adding more`)
    return created
  }

  async update(id: number, { id: bodyId, ...changes }: TodoChanges & { id?: unknown }): Promise<Todo> {
    if (bodyId !== undefined && String(bodyId) !== String(id)) {
      throw new AppError(400, 'id cannot be changed', { id: 'id cannot be changed' })
    }
    return (await this.todos.update(id, changes)) ?? notFound()
  }

  /** The deleted todo, or `{}` for an id that is not there (the course's tests expect 200 either way). */
  async delete(id: number): Promise<Todo | Record<string, never>> {
    return (await this.todos.delete(id)) ?? {}
  }
}

function notFound(): never {
  throw new AppError(404, TODO_NOT_FOUND)
}
