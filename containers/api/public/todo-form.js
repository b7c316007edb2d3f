// @ts-check
import { ApiError } from './api.js'
import { isInstant, toInputValue, toInstant } from './dates.js'
import { h, showError } from './dom.js'

/** @typedef {import('./api.js').Todo} Todo */
/** @typedef {import('./api.js').TodoChanges} TodoChanges */

const FIELDS = /** @type {const} */ (['title', 'description', 'deadline_at'])

/**
 * A todo form, used to create and to edit. The API is the one validator (`novalidate`): its
 * message for each field appears beside that field, and the first field in error gets focus.
 * @param {{ id: string, submitLabel: string, values?: Todo, onSubmit: (changes: TodoChanges) => Promise<void>, onCancel?: () => void }} options
 */
export function todoForm({ id, submitLabel, values, onSubmit, onCancel }) {
  /** @param {string} field @param {string} label @param {HTMLInputElement | HTMLTextAreaElement} input @param {string} [hint] */
  const field = (field, label, input, hint) => {
    input.id = `${id}-${field}`
    input.name = field
    input.setAttribute('aria-describedby', [`${id}-${field}-error`, hint ? `${id}-${field}-hint` : ''].join(' ').trim())
    return h('div', { class: 'field' }, [
      h('label', { for: input.id, text: label }),
      hint ? h('p', { class: 'hint', id: `${id}-${field}-hint`, text: hint }) : null,
      input,
      h('p', { class: 'field-error', id: `${id}-${field}-error`, hidden: true }),
    ])
  }
  // A deadline that names an instant is edited in the viewer's time and stays an instant.
  const keepsInstant = values?.deadline_at != null && isInstant(values.deadline_at)
  const title = h('input', { type: 'text', maxlength: '80', autocomplete: 'off' })
  const description = h('textarea', { maxlength: '120', rows: '2' })
  const deadline = h('input', { type: 'datetime-local' })
  title.value = values?.title ?? ''
  description.value = values?.description ?? ''
  deadline.value = toInputValue(values?.deadline_at ?? null)
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true })
  const submit = h('button', { type: 'submit', text: submitLabel })

  const form = h('form', { class: 'todo-form', novalidate: true, 'aria-label': submitLabel }, [
    field('title', 'Title', title),
    field('description', 'Description (optional)', description),
    field('deadline_at', 'Deadline (optional)', deadline, keepsInstant ? 'In your time zone' : 'Your local wall-clock time'),
    h('div', { class: 'form-actions' }, [submit, onCancel ? h('button', { type: 'button', class: 'secondary', text: 'Cancel' }) : null]),
    formError,
  ])

  /** What the user changed, or every field for a new todo. @returns {TodoChanges} */
  const changes = () => {
    const deadlineAt = deadline.value === '' ? null : keepsInstant ? toInstant(deadline.value) : deadline.value
    /** @type {TodoChanges} */
    const all = { title: title.value, description: description.value.trim() === '' ? null : description.value, deadline_at: deadlineAt }
    if (!values) return all
    /** @type {TodoChanges} */
    const changed = {}
    if (all.title !== values.title) changed.title = all.title
    if (all.description !== values.description) changed.description = all.description
    if (deadline.value !== toInputValue(values.deadline_at)) changed.deadline_at = all.deadline_at
    return changed
  }

  const clearErrors = () => {
    for (const name of FIELDS) {
      showError(/** @type {HTMLElement} */ (form.querySelector(`#${id}-${name}-error`)), undefined)
      form.querySelector(`#${id}-${name}`)?.removeAttribute('aria-invalid')
    }
    showError(formError, undefined)
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    clearErrors()
    submit.disabled = true
    try {
      await onSubmit(changes())
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : {}
      const invalid = FIELDS.filter((name) => fields[name])
      for (const name of invalid) {
        showError(/** @type {HTMLElement} */ (form.querySelector(`#${id}-${name}-error`)), fields[name])
        form.querySelector(`#${id}-${name}`)?.setAttribute('aria-invalid', 'true')
      }
      if (invalid.length > 0) /** @type {HTMLElement} */ (form.querySelector(`#${id}-${invalid[0]}`)).focus()
      else showError(formError, err instanceof Error ? err.message : String(err))
    } finally {
      submit.disabled = false
    }
  })
  form.querySelector('button.secondary')?.addEventListener('click', () => onCancel?.())
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && onCancel) onCancel()
  })

  return {
    form,
    reset() {
      form.reset()
      clearErrors()
    },
    focus: () => title.focus(),
  }
}
