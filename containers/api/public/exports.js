// @ts-check
import * as api from './api.js'
import { announce, h, showError } from './dom.js'
import { renderTimeline } from './pipeline.js'

const POLL_MS = 400
const LABELS = { PENDING: 'Waiting for a worker', STARTED: 'Building the calendar', SUCCESS: 'Ready', FAILURE: 'Failed' }

/**
 * Starts calendar exports and follows each one, its timeline growing step by step, until it is
 * ready to download or has failed. `onChange` is told whenever an export moves (to refresh the
 * pipeline view at once rather than at its next tick).
 * @param {() => void} [onChange]
 */
export function setUpExports(onChange) {
  const button = /** @type {HTMLButtonElement} */ (document.getElementById('export-button'))
  const list = /** @type {HTMLElement} */ (document.getElementById('exports'))
  const error = /** @type {HTMLElement} */ (document.getElementById('export-error'))

  button.addEventListener('click', async () => {
    showError(error, undefined)
    try {
      const { task_id: taskId } = await api.startExport()
      const status = h('span', { class: 'status', 'data-status': 'PENDING', text: LABELS.PENDING })
      const item = h('li', { class: 'export', 'data-task': taskId }, [
        h('span', { class: 'export-time', text: new Date().toLocaleTimeString() }),
        status,
        h('progress', { 'aria-label': 'Export in progress' }),
        renderTimeline([]),
      ])
      list.prepend(item)
      announce('Export started')
      onChange?.()
      follow(taskId, item, status, onChange)
    } catch (err) {
      showError(error, `The export could not start: ${err instanceof Error ? err.message : err}`)
    }
  })
}

/** @param {string} taskId @param {HTMLElement} item @param {HTMLElement} status @param {() => void} [onChange] */
async function follow(taskId, item, status, onChange) {
  let failures = 0
  let steps = 0
  for (;;) {
    try {
      const current = await api.exportStatus(taskId)
      failures = 0
      const timeline = current.timeline ?? []
      if (timeline.length !== steps) {
        steps = timeline.length
        item.querySelector('.timeline')?.replaceWith(renderTimeline(timeline))
        onChange?.()
      }
      status.dataset.status = current.task_status
      status.textContent = `${LABELS[current.task_status]} (${current.task_status})`
      if (current.task_status === 'SUCCESS') {
        item.querySelector('progress')?.remove()
        item.querySelector('.timeline')?.before(h('a', { class: 'download', href: current.result_url, download: `taskoverflow-${taskId.slice(0, 8)}.ics`, text: 'Download calendar (.ics)' }))
        announce('Calendar export ready to download')
        return
      }
      if (current.task_status === 'FAILURE') {
        item.querySelector('progress')?.remove()
        item.querySelector('.timeline')?.before(h('span', { class: 'export-error', text: current.error ?? 'unknown error' }))
        announce('Calendar export failed')
        return
      }
    } catch {
      if (++failures >= 10) {
        status.textContent = 'Lost track of this export; reload the page to try again'
        return
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}
