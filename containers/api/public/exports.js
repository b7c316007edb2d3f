// @ts-check
import * as api from './api.js'
import { announce, h, showError } from './dom.js'

const POLL_MS = 400
const LABELS = { PENDING: 'Waiting for a worker', STARTED: 'Building the calendar', SUCCESS: 'Ready', FAILURE: 'Failed' }

/** Starts calendar exports and follows each one until it is ready to download or has failed. */
export function setUpExports() {
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
      ])
      list.prepend(item)
      announce('Export started')
      follow(taskId, item, status)
    } catch (err) {
      showError(error, `The export could not start: ${err instanceof Error ? err.message : err}`)
    }
  })
}

/** @param {string} taskId @param {HTMLElement} item @param {HTMLElement} status */
async function follow(taskId, item, status) {
  let failures = 0
  for (;;) {
    try {
      const current = await api.exportStatus(taskId)
      failures = 0
      status.dataset.status = current.task_status
      status.textContent = `${LABELS[current.task_status]} (${current.task_status})`
      if (current.task_status === 'SUCCESS') {
        item.querySelector('progress')?.remove()
        item.append(h('a', { class: 'download', href: current.result_url, download: `taskoverflow-${taskId.slice(0, 8)}.ics`, text: 'Download calendar (.ics)' }))
        announce('Calendar export ready to download')
        return
      }
      if (current.task_status === 'FAILURE') {
        item.querySelector('progress')?.remove()
        item.append(h('span', { class: 'export-error', text: current.error ?? 'unknown error' }))
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
