// @ts-check
import * as api from './api.js'
import { setUpExports } from './exports.js'
import { setUpPipeline } from './pipeline.js'
import { TodoList } from './todo-list.js'
import { todoForm } from './todo-form.js'

const todos = new TodoList()
const create = todoForm({
  id: 'new',
  submitLabel: 'Add todo',
  async onSubmit(todo) {
    todos.added(await api.createTodo(todo))
    create.reset()
    create.focus()
  },
})
document.getElementById('create-slot')?.replaceWith(create.form)
const pipeline = setUpPipeline()
setUpExports(() => void pipeline.refresh())
void todos.load()
