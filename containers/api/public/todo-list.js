// @ts-check
import * as api from './api.js'
import { bySoonestDeadline, formatDeadline, isOverdue } from './dates.js'
import { announce, h, showError } from './dom.js'
import { todoForm } from './todo-form.js'

/** @typedef {import('./api.js').Todo} Todo */

const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id))

/** The open and completed lists, soonest deadline first; every change goes through the API, then the lists are redrawn. */
export class TodoList {
  /** @type {Todo[]} */
  todos = []

  async load() {
    try {
      this.todos = await api.listTodos()
      showError(byId('load-error'), undefined)
    } catch (err) {
      showError(byId('load-error'), `Could not load the todos: ${err instanceof Error ? err.message : err}`)
    }
    this.render()
  }

  /** @param {Todo} todo */
  added(todo) {
    this.todos.push(todo)
    this.render()
    announce(`Added ${todo.title}`)
  }

  /** @param {number} [focusId] the todo whose Edit button gets focus afterwards */
  render(focusId) {
    for (const completed of [false, true]) {
      const which = completed ? 'completed' : 'open'
      const items = this.todos.filter((todo) => todo.completed === completed).sort(bySoonestDeadline)
      byId(`${which}-todos`).replaceChildren(...items.map((todo) => this.item(todo)))
      byId(`${which}-empty`).hidden = items.length > 0
    }
    if (focusId !== undefined) /** @type {HTMLElement | null} */ (document.querySelector(`[data-id="${focusId}"] .edit`))?.focus()
  }

  /** @param {Todo} todo */
  item(todo) {
    const checkbox = h('input', { type: 'checkbox', id: `todo-${todo.id}-done`, checked: todo.completed })
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true })
    checkbox.addEventListener('change', () => {
      this.save(todo, { completed: checkbox.checked }, checkbox.checked ? 'Completed' : 'Reopened').catch((/** @type {unknown} */ err) => {
        checkbox.checked = todo.completed
        showError(error, err instanceof Error ? err.message : String(err))
      })
    })
    const edit = h('button', { type: 'button', class: 'secondary edit', text: 'Edit', 'aria-label': `Edit ${todo.title}` })
    const remove = h('button', { type: 'button', class: 'danger', text: 'Delete', 'aria-label': `Delete ${todo.title}` })
    const overdue = !todo.completed && isOverdue(todo.deadline_at)
    const item = h('li', { class: `todo${todo.completed ? ' done' : ''}`, 'data-id': String(todo.id) }, [
      h('div', { class: 'todo-main' }, [
        checkbox,
        h('div', {}, [
          h('label', { for: checkbox.id, class: 'todo-title', text: todo.title }),
          todo.description ? h('p', { class: 'todo-description', text: todo.description }) : null,
          todo.deadline_at
            ? h('p', { class: 'todo-deadline' }, [
                'Due ',
                h('time', { datetime: todo.deadline_at, text: formatDeadline(todo.deadline_at) }),
                overdue ? h('span', { class: 'badge', text: 'overdue' }) : null,
              ])
            : h('p', { class: 'todo-deadline muted', text: 'No deadline: not on the calendar' }),
        ]),
      ]),
      h('div', { class: 'todo-actions' }, [edit, remove]),
      error,
    ])
    edit.addEventListener('click', () => this.edit(item, todo))
    remove.addEventListener('click', async () => {
      try {
        await api.deleteTodo(todo.id)
        this.todos = this.todos.filter((t) => t.id !== todo.id)
        this.render()
        announce(`Deleted ${todo.title}`)
        byId('todos-heading').focus()
      } catch (err) {
        showError(error, err instanceof Error ? err.message : String(err))
      }
    })
    return item
  }

  /** @param {HTMLElement} item @param {Todo} todo */
  edit(item, todo) {
    const form = todoForm({
      id: `edit-${todo.id}`,
      submitLabel: 'Save',
      values: todo,
      onSubmit: (changes) => this.save(todo, changes, 'Saved'),
      onCancel: () => this.render(todo.id),
    })
    item.replaceChildren(form.form)
    form.focus()
  }

  /** @param {Todo} todo @param {import('./api.js').TodoChanges} changes @param {string} verb */
  async save(todo, changes, verb) {
    const updated = await api.updateTodo(todo.id, changes)
    this.todos = this.todos.map((t) => (t.id === updated.id ? updated : t))
    this.render(updated.id)
    announce(`${verb} ${updated.title}`)
  }
}
