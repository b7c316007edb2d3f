// @ts-check
import { ApiError } from './api.js'
import { isInstant, toInputValue, toInstant } from './dates.js'
import { h, showError } from './dom.js'

/** @typedef {import('./api.js').Todo} Todo */
/** @typedef {import('./api.js').TodoChanges} TodoChanges */

const FIELDS = /** @type {const} */ (['title', 'description', 'deadline_at'])

/**
 * One labelled field, with its hint and the paragraph its error goes in.
 * @param {string} formId @param {string} name @param {string} label @param {HTMLInputElement | HTMLTextAreaElement} input @param {string} [hint]
 */
function fieldRow(formId, name, label, input, hint) {
  input.id = `${formId}-${name}`
  input.name = name
  input.setAttribute('aria-describedby', [`${formId}-${name}-error`, hint ? `${formId}-${name}-hint` : ''].join(' ').trim())
  return h('div', { class: 'field' }, [
    h('label', { for: input.id, text: label }),
    hint ? h('p', { class: 'hint', id: `${formId}-${name}-hint`, text: hint }) : null,
    input,
    h('p', { class: 'field-error', id: `${formId}-${name}-error`, hidden: true }),
  ])
}

/**
 * What the form says, or, when editing, only what the user changed.
 * @param {{ title: HTMLInputElement, description: HTMLTextAreaElement, deadline: HTMLInputElement }} inputs
 * @param {Todo | undefined} values the todo being edited
 * @param {boolean} keepsInstant whether its deadline names an instant, edited in the viewer's time
 * @returns {TodoChanges}
 */
function changesOf({ title, description, deadline }, values, keepsInstant) {
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

/**
 * The API's message for each field beside that field, focus on the first, or the whole message
 * under the form when it names no field; or, with no error, clears them all.
 * @param {HTMLFormElement} form @param {string} formId @param {HTMLElement} formError @param {unknown} [err]
 */
function showErrors(form, formId, formError, err) {
  const fields = err instanceof ApiError ? err.fields : {}
  const invalid = FIELDS.filter((name) => fields[name])
  for (const name of FIELDS) {
    showError(/** @type {HTMLElement} */ (form.querySelector(`#${formId}-${name}-error`)), fields[name])
    if (fields[name]) form.querySelector(`#${formId}-${name}`)?.setAttribute('aria-invalid', 'true')
    else form.querySelector(`#${formId}-${name}`)?.removeAttribute('aria-invalid')
  }
  if (invalid.length > 0) /** @type {HTMLElement} */ (form.querySelector(`#${formId}-${invalid[0]}`)).focus()
  showError(formError, err === undefined || invalid.length > 0 ? undefined : err instanceof Error ? err.message : String(err))
}

/**
 * A todo form, used to create and to edit. The API is the one validator (`novalidate`): its
 * message for each field appears beside that field, and the first field in error gets focus.
 * @param {{ id: string, submitLabel: string, values?: Todo, onSubmit: (changes: TodoChanges) => Promise<void>, onCancel?: () => void }} options
 */
export function todoForm({ id, submitLabel, values, onSubmit, onCancel }) {
  // A deadline that names an instant is edited in the viewer's time and stays an instant.
  const keepsInstant = values?.deadline_at != null && isInstant(values.deadline_at)
  const inputs = {
    title: h('input', { type: 'text', maxlength: '80', autocomplete: 'off' }),
    description: h('textarea', { maxlength: '120', rows: '2' }),
    deadline: h('input', { type: 'datetime-local' }),
  }
  inputs.title.value = values?.title ?? ''
  inputs.description.value = values?.description ?? ''
  inputs.deadline.value = toInputValue(values?.deadline_at ?? null)
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true })
  const submit = h('button', { type: 'submit', text: submitLabel })

  const form = h('form', { class: 'todo-form', novalidate: true, 'aria-label': submitLabel }, [
    fieldRow(id, 'title', 'Title', inputs.title),
    fieldRow(id, 'description', 'Description (optional)', inputs.description),
    fieldRow(id, 'deadline_at', 'Deadline (optional)', inputs.deadline, keepsInstant ? 'In your time zone' : 'Your local wall-clock time'),
    h('div', { class: 'form-actions' }, [submit, onCancel ? h('button', { type: 'button', class: 'secondary', text: 'Cancel' }) : null]),
    formError,
  ])

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    showErrors(form, id, formError)
    submit.disabled = true
    try {
      await onSubmit(changesOf(inputs, values, keepsInstant))
    } catch (err) {
      showErrors(form, id, formError, err)
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
      showErrors(form, id, formError)
    },
    focus: () => inputs.title.focus(),
  }
}
