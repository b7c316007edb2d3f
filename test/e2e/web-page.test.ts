import { existsSync, readFileSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parseCalendar } from '../../scripts/lib/ical.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { startLocalRun, type LocalRun } from '../support/local-run.js'
import { httpCall } from '../../scripts/lib/http.js'
import { testFolder } from '../support/test-folder.js'

const dataDir = testFolder('taskoverflow-e2e-')

/**
 * The screenshot: into this run's temporary folder, so a test run leaves the clone as it was;
 * `UPDATE_SCREENSHOT=1 npm run test:e2e` refreshes the one the README shows.
 */
const screenshot = () => (process.env.UPDATE_SCREENSHOT === '1' ? join(ROOT, 'docs', 'screenshot.png') : join(dataDir.path, 'screenshot.png'))

function findChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, ...['chromium', 'chromium-browser', 'google-chrome'].flatMap((name) => (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)))]
  const found = candidates.find((path) => path && existsSync(path))
  if (!found) throw new Error('Chromium is not installed. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chrome or Chromium binary.')
  return found
}

// Long enough that the page, refreshing every 3 s from counts up to 2 s old, sees the job in flight.
const WORKER_DELAY_SECONDS = 12
let run: LocalRun
let browser: Browser
let page: Page
const consoleErrors: string[] = []

beforeAll(async () => {
  const executablePath = findChromium()
  // A worker that takes 8 s per job, as the practical's takes 50, so the page can be watched mid-job:
  // long enough for two of its pipeline refreshes (every 3 s, counts up to 2 s old) to land within.
  run = await startLocalRun(dataDir.path, { WORKER_DELAY_SECONDS: String(WORKER_DELAY_SECONDS) })
  browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1000, height: 1200 } })).newPage()
  // Content-Security-Policy violations and script errors land here; the browser's note about the
  // 400 the empty-title check provokes on purpose does not count.
  page.on('console', (message) => message.type() === 'error' && !/^Failed to load resource: .* 400/.test(message.text()) && consoleErrors.push(message.text()))
  page.on('pageerror', (error) => consoleErrors.push(error.message))
})
afterAll(async () => {
  await browser?.close()
  await run?.interrupt()
  dataDir.remove()
})

async function addTodo(title: string, description: string, deadline: string) {
  await page.getByLabel('Title', { exact: true }).fill(title)
  await page.getByLabel('Description (optional)').fill(description)
  await page.getByLabel('Deadline (optional)').fill(deadline)
  await page.getByRole('button', { name: 'Add todo' }).click()
  await page.locator('#open-todos .todo-title', { hasText: title }).waitFor()
}

describe('the TaskOverflow web page', () => {
  it('manages todos and exports the calendar from a browser', async () => {
    const response = await page.goto(run.base)
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
    expect(response?.headers()['cache-control']).toBe('no-cache')

    await addTodo('Project Proposal', 'CSSE6400 Project Proposal Due', '2030-04-03T14:00')
    await addTodo('Report; draft, v2', 'Ünïcødé and a second; clause', '2030-03-01T09:30')
    // The third by keyboard alone: type, then Enter submits.
    await page.getByLabel('Title', { exact: true }).focus()
    await page.keyboard.type('Pitch rehearsal')
    await page.keyboard.press('Enter')
    await page.locator('#open-todos .todo-title', { hasText: 'Pitch rehearsal' }).waitFor()

    // Soonest deadline first, the undated one last.
    expect(await page.locator('#open-todos .todo-title').allTextContents()).toEqual(['Report; draft, v2', 'Project Proposal', 'Pitch rehearsal'])

    // The pipeline view before: an empty queue, one idle worker.
    const count = (name: string) => page.locator(`#queue-counts [data-count="${name}"]`)
    await page.waitForFunction(() => document.querySelector('#queue-counts [data-count="available"]')?.textContent === '0')
    expect(await page.locator('#workers-body tr[data-worker]').count()).toBe(1)

    await page.getByRole('button', { name: 'Export calendar' }).click()
    // Mid-job: the export is STARTED, its message in flight, its timeline up to "Started".
    await page.locator('.export .status[data-status="STARTED"]').waitFor({ timeout: 30_000 })
    const steps = page.locator('.export .timeline li')
    expect(await steps.evaluateAll((items) => items.map((item) => item.getAttribute('data-step')))).toEqual(['accepted', 'sent', 'received', 'started'])
    expect(await steps.nth(2).textContent()).toMatch(/Received by \S+, attempt 1$/)
    await page.waitForFunction(() => document.querySelector('#queue-counts [data-count="in_flight"]')?.textContent === '1', undefined, { timeout: 10_000 })

    const download = page.locator('.export a.download').first()
    await download.waitFor({ timeout: 30_000 })
    expect(await page.locator('.export .status').first().getAttribute('data-status')).toBe('SUCCESS')
    expect(await steps.evaluateAll((items) => items.map((item) => item.getAttribute('data-step')))).toEqual(['accepted', 'sent', 'received', 'started', 'finished'])
    // The worker's delay shows where it was spent: between started and finished.
    const lastGap = await steps.nth(4).locator('.gap').textContent()
    expect(Number(/^\+([\d.]+) s$/.exec(lastGap ?? '')?.[1])).toBeGreaterThanOrEqual(WORKER_DELAY_SECONDS)
    await page.waitForFunction(() => document.querySelector('#queue-counts [data-count="in_flight"]')?.textContent === '0', undefined, { timeout: 10_000 })
    await page.waitForFunction(() => document.querySelector('#workers-body [data-counter="handled"]')?.textContent === '1', undefined, { timeout: 15_000 })
    expect(await count('dead_letter').textContent()).toBe('0')
    // Once it has ended, the page stops asking: no status request in the next second and a half.
    let polls = 0
    const countPolls = (request: { url(): string }) => void (/\/todos\/ical\/[^/]+\/status$/.test(request.url()) && polls++)
    page.on('request', countPolls)
    await page.waitForTimeout(1_500)
    page.off('request', countPolls)
    expect(polls).toBe(0)
    // A hidden page stops refreshing the pipeline view, and a visible one starts again at once.
    let pipelinePolls = 0
    const countPipeline = (request: { url(): string }) => void (/\/api\/v1\/pipeline/.test(request.url()) && pipelinePolls++)
    page.on('request', countPipeline)
    const setVisibility = (state: string) =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { value, configurable: true })
        document.dispatchEvent(new Event('visibilitychange'))
      }, state)
    await setVisibility('hidden')
    await page.waitForTimeout(1_000)
    pipelinePolls = 0
    await page.waitForTimeout(4_000)
    expect(pipelinePolls).toBe(0)
    await setVisibility('visible')
    await page.waitForTimeout(500)
    page.off('request', countPipeline)
    expect(pipelinePolls).toBe(1)
    await page.screenshot({ path: screenshot(), fullPage: true })
    expect(statSync(screenshot()).size).toBeGreaterThan(10_000)

    const [file] = await Promise.all([page.waitForEvent('download'), download.click()])
    const calendar = parseCalendar(readFileSync((await file.path())!, 'utf8'))
    const todos = (await httpCall('GET', `${run.base}/api/v1/todos`)).json as Array<{ id: number; title: string; description: string | null; deadline_at: string | null }>
    const dated = todos.filter((todo) => todo.deadline_at !== null)
    expect(calendar.events.map((e) => [e.uid, e.summary, e.description, e.start]).sort()).toEqual(
      dated.map((t) => [String(t.id), t.title, t.description, t.deadline_at]).sort(),
    )
    expect(calendar.events).toHaveLength(2)

    await page.getByRole('button', { name: 'Delete Pitch rehearsal' }).click()
    await page.locator('#open-todos .todo-title', { hasText: 'Pitch rehearsal' }).waitFor({ state: 'detached' })
    expect((await httpCall('GET', `${run.base}/api/v1/todos`)).json).toHaveLength(2)

    await page.getByLabel('Title', { exact: true }).fill('   ')
    await page.getByRole('button', { name: 'Add todo' }).click()
    const error = page.locator('#new-title-error')
    await error.waitFor({ state: 'visible' })
    expect(await error.textContent()).toBe('title must not be empty')
    expect(await page.getByLabel('Title', { exact: true }).getAttribute('aria-invalid')).toBe('true')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-title')

    expect(consoleErrors).toEqual([])
  })

  it('marks a todo complete, and edits one with the change saved', async () => {
    await page.getByRole('checkbox', { name: 'Report; draft, v2' }).check()
    await page.locator('#completed-todos .todo-title', { hasText: 'Report; draft, v2' }).waitFor()
    await page.getByRole('button', { name: 'Edit Project Proposal' }).click()
    await page.locator('#edit-1-title').fill('Project Proposal (final)')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#open-todos .todo-title', { hasText: 'Project Proposal (final)' }).waitFor()
    const saved = await httpCall('GET', `${run.base}/api/v1/todos/1`)
    expect(saved.json).toMatchObject({ title: 'Project Proposal (final)', deadline_at: '2030-04-03T14:00:00' })
  })

  it('fits a phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
  })

  it("shows a deadline sent with an offset in the viewer's time, a wall-clock one as written, and edits the first as an instant", async () => {
    const api = `${run.base}/api/v1`
    const instant = (await httpCall('POST', `${api}/todos`, { title: 'Brisbane call', deadline_at: '2031-04-03T14:00:00+10:00' })).json as { id: number; deadline_at: string }
    await httpCall('POST', `${api}/todos`, { title: 'Wall clock', deadline_at: '2031-04-03T14:00:00' })
    expect(instant.deadline_at).toBe('2031-04-03T04:00:00Z')

    const inZone = async <T>(timezoneId: string, look: (viewer: Page) => Promise<T>): Promise<T> => {
      const context = await browser.newContext({ timezoneId, locale: 'en-GB' })
      try {
        const viewer = await context.newPage()
        await viewer.goto(run.base)
        await viewer.locator('#open-todos .todo-title', { hasText: 'Brisbane call' }).waitFor()
        return await look(viewer)
      } finally {
        await context.close()
      }
    }
    const due = (viewer: Page, title: string) => viewer.locator('#open-todos .todo', { has: viewer.locator('.todo-title', { hasText: title }) }).locator('time')
    const shown = (viewer: Page) => Promise.all([due(viewer, 'Brisbane call').textContent(), due(viewer, 'Wall clock').textContent(), due(viewer, 'Brisbane call').getAttribute('datetime')])

    const [brisbane, wallClockInBrisbane, datetime] = await inZone('Australia/Brisbane', shown)
    expect({ brisbane, wallClockInBrisbane, datetime }).toEqual({ brisbane: expect.stringMatching(/3 Apr 2031.* 14:00/), wallClockInBrisbane: expect.stringMatching(/3 Apr 2031.* 14:00/), datetime: '2031-04-03T04:00:00Z' })
    await inZone('America/New_York', async (viewer) => {
      const [newYork, wallClockInNewYork] = await shown(viewer)
      expect({ newYork, wallClockInNewYork }).toEqual({ newYork: expect.stringMatching(/3 Apr 2031.* 00:00/), wallClockInNewYork: expect.stringMatching(/3 Apr 2031.* 14:00/) })
      await viewer.getByRole('button', { name: 'Edit Brisbane call' }).click()
      const input = viewer.locator(`#edit-${instant.id}-deadline_at`)
      expect(await input.inputValue()).toBe('2031-04-03T00:00')
      await input.fill('2031-04-03T01:30')
      await viewer.getByRole('button', { name: 'Save' }).click()
      await due(viewer, 'Brisbane call').filter({ hasText: '01:30' }).waitFor()
    })
    expect((await httpCall('GET', `${api}/todos/${instant.id}`)).json.deadline_at).toBe('2031-04-03T05:30:00Z')
  })
})
