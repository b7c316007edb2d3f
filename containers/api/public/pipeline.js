// @ts-check
import * as api from './api.js'
import { h } from './dom.js'

const REFRESH_MS = 3_000

/** @param {number} ms */
function formatGap(ms) {
  if (ms < 1_000) return `+${ms} ms`
  if (ms < 60_000) return `+${(ms / 1_000).toFixed(1)} s`
  return `+${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`
}

/** @param {api.TimelineStep} step */
function describe(step) {
  const by = step.worker ? ` by ${step.worker}` : ''
  const attempt = step.attempt ? `, attempt ${step.attempt}` : ''
  switch (step.step) {
    case 'accepted':
      return 'Accepted by the API'
    case 'sent':
      return step.detail ? `Sent to the queue (${step.detail})` : 'Sent to the queue'
    case 'received':
      return `Received${by}${attempt}`
    case 'started':
      return 'Started'
    case 'retrying':
      return `Failed, to be retried: ${step.detail ?? 'unknown error'}`
    case 'finished':
      return step.detail ? `Finished (${step.detail})` : 'Finished'
    case 'failed':
      return `Failed for good${attempt}: ${step.detail ?? 'unknown error'}`
    default:
      return step.step
  }
}

/**
 * One export's journey, each step with the time since the one before, so the 50 s of a slow
 * worker or the wait in the queue shows where it happens.
 * @param {api.TimelineStep[]} timeline
 */
export function renderTimeline(timeline) {
  return h(
    'ol',
    { class: 'timeline', 'aria-label': 'Timeline' },
    timeline.map((step) =>
      h('li', { 'data-step': step.step }, [
        h('span', { class: 'gap', text: step.ms_since_previous === null ? new Date(step.at).toLocaleTimeString() : formatGap(step.ms_since_previous) }),
        ' ',
        h('span', { text: describe(step) }),
      ]),
    ),
  )
}

/**
 * The queue's counts and the workers' counters, refreshed every few seconds while the page is
 * visible and not at all while it is hidden. The API asks SQS at most once every 2 s however
 * many pages are open.
 */
export function setUpPipeline() {
  const counts = /** @type {HTMLElement} */ (document.getElementById('queue-counts'))
  const note = /** @type {HTMLElement} */ (document.getElementById('pipeline-note'))
  const workers = /** @type {HTMLElement} */ (document.getElementById('workers-body'))
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer

  /** @param {string} name @param {number | undefined} value */
  const show = (name, value) => {
    const cell = counts.querySelector(`[data-count="${name}"]`)
    if (cell) cell.textContent = value === undefined ? '–' : String(value)
  }

  async function refresh() {
    clearTimeout(timer)
    try {
      const view = await api.pipeline()
      const { queues } = view
      show('available', queues.jobs?.available)
      show('in_flight', queues.jobs?.in_flight)
      show('delayed', queues.jobs?.delayed)
      show('dead_letter', queues.dead_letter?.available)
      note.textContent = queues.error ?? `As SQS estimates them, at ${new Date(queues.checked_at).toLocaleTimeString()}.`
      workers.replaceChildren(
        ...(view.workers.length === 0
          ? [h('tr', {}, [h('td', { colspan: '6', class: 'muted', text: 'No worker is running.' })])]
          : view.workers.map((w) =>
              h('tr', { 'data-worker': w.name }, [
                h('th', { scope: 'row', text: w.name }),
                h('td', { 'data-counter': 'receives', text: String(w.receives) }),
                h('td', { 'data-counter': 'empty_receives', text: String(w.empty_receives) }),
                h('td', { 'data-counter': 'empty_receives_last_minute', text: String(w.empty_receives_last_minute) }),
                h('td', { 'data-counter': 'handled', text: String(w.handled) }),
                h('td', { 'data-counter': 'retries', text: String(w.retries) }),
              ]),
            )),
      )
    } catch (err) {
      note.textContent = `Could not refresh: ${err instanceof Error ? err.message : err}`
    }
    if (document.visibilityState === 'visible') timer = setTimeout(refresh, REFRESH_MS)
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refresh()
    else clearTimeout(timer)
  })
  void refresh()
  return { refresh }
}
