// @ts-check
/** The TaskOverflow API, from the page's side. Every error is JSON `{ error, fields? }`. */

/** @typedef {{ id: number, title: string, description: string | null, completed: boolean, deadline_at: string | null, created_at: string, updated_at: string }} Todo */
/** @typedef {{ title?: string, description?: string | null, completed?: boolean, deadline_at?: string | null }} TodoChanges */
/** @typedef {{ step: string, at: string, ms_since_previous: number | null, worker?: string, attempt?: number, detail?: string }} TimelineStep */
/** @typedef {{ task_id: string, task_status: 'PENDING' | 'STARTED' | 'SUCCESS' | 'FAILURE', result_url: string, error?: string, timeline: TimelineStep[] }} TaskStatus */
/** @typedef {{ name: string, available: number, in_flight: number, delayed: number }} QueueCounts */
/** @typedef {{ name: string, receives: number, empty_receives: number, empty_receives_last_minute: number, handled: number, retries: number }} WorkerCounters */
/** @typedef {{ queues: { checked_at: string, jobs?: QueueCounts, dead_letter?: QueueCounts | null, error?: string }, workers: WorkerCounters[] }} Pipeline */

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {Record<string, string>} [fields] per-field messages of a validation error
   */
  constructor(status, message, fields) {
    super(message)
    this.status = status
    this.fields = fields ?? {}
  }
}

/**
 * @param {string} method
 * @param {string} path under /api/v1
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function call(method, path, body) {
  /** @type {RequestInit} */
  const init = { method, headers: { accept: 'application/json' } }
  if (body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' }
    init.body = JSON.stringify(body)
  }
  let response
  try {
    response = await fetch(`/api/v1${path}`, init)
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.')
  }
  const json = await response.json().catch(() => undefined)
  if (!response.ok) throw new ApiError(response.status, json?.error ?? `The server answered ${response.status}`, json?.fields)
  return json
}

/** @returns {Promise<Todo[]>} */
export const listTodos = () => call('GET', '/todos')
/** @param {TodoChanges} todo @returns {Promise<Todo>} */
export const createTodo = (todo) => call('POST', '/todos', todo)
/** @param {number} id @param {TodoChanges} changes @returns {Promise<Todo>} */
export const updateTodo = (id, changes) => call('PUT', `/todos/${id}`, changes)
/** @param {number} id @returns {Promise<Todo>} */
export const deleteTodo = (id) => call('DELETE', `/todos/${id}`)
/** @returns {Promise<{ task_id: string, task_url: string }>} */
export const startExport = () => call('POST', '/todos/ical')
/** @param {string} taskId @returns {Promise<TaskStatus>} */
export const exportStatus = (taskId) => call('GET', `/todos/ical/${taskId}/status`)
/** The queues and the workers; no exports, as the page follows its own. @returns {Promise<Pipeline>} */
export const pipeline = () => call('GET', '/pipeline?exports=0')
