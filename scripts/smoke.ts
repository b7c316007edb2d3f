/**
 * `npm run smoke -- URL`: runs the practical's curl session (SPEC section 3) against a running
 * TaskOverflow, locally or behind the load balancer, and fails loudly on any deviation.
 */
import { Command } from 'commander'
import { isHttpUrl, WHOLE_NUMBER } from '../containers/shared/src/setting-formats.js'
import { httpCall, type HttpAnswer } from './lib/http.js'
import { parseCalendar } from './lib/ical.js'

class Deviation extends Error {}

function expect(condition: boolean, what: string, got: unknown): void {
  if (!condition) throw new Deviation(`${what}; got ${typeof got === 'string' ? got : JSON.stringify(got)}`)
}

async function request(method: string, url: string, body?: unknown): Promise<HttpAnswer> {
  try {
    return await httpCall(method, url, body)
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause
    throw new Deviation(`cannot reach ${method} ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`)
  }
}

/** The API's root from the URL given: the site's, or the API's own as copied from a curl line. */
export const apiBase = (url: string) => `${url.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}/api/v1`

export async function smoke(base: string, timeoutSeconds: number, log: (line: string) => void = console.log): Promise<void> {
  const api = apiBase(base)
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const started = Date.now()
    const result = await fn()
    log(`  ok  ${what} (${Date.now() - started} ms)`)
    return result
  }

  await step('GET /health answers {"status":"ok"}', async () => {
    const r = await request('GET', `${api}/health`)
    expect(r.status === 200 && r.json?.status === 'ok', 'expected 200 {"status":"ok"}', `${r.status} ${r.text}`)
  })
  const todo = {
    title: `Smoke test, ${new Date().toISOString()}`,
    description: 'Checks the export; commas, semicolons; and ünïcødé survive',
    deadline_at: '2023-04-03T14:00:00',
  }
  const created = await step('POST /todos creates a todo', async () => {
    const r = await request('POST', `${api}/todos`, todo)
    expect(r.status === 201 && Number.isInteger(r.json?.id), 'expected 201 with an id', `${r.status} ${r.text}`)
    return r.json as { id: number }
  })
  try {
    const task = await step('POST /todos/ical accepts the export', async () => {
      const r = await request('POST', `${api}/todos/ical`)
      expect(r.status === 202, 'expected 202', `${r.status} ${r.text}`)
      expect(/^[0-9a-f-]{36}$/.test(r.json?.task_id) && typeof r.json?.task_url === 'string', 'expected task_id and task_url', r.json)
      return r.json as { task_id: string; task_url: string }
    })
    const statusUrl = `${api}/todos/ical/${task.task_id}/status`
    const seen = new Set<string>()
    await step('the export reaches SUCCESS', async () => {
      const deadline = Date.now() + timeoutSeconds * 1_000
      for (;;) {
        const r = await request('GET', statusUrl)
        expect(r.status === 200 && r.json?.task_id === task.task_id, 'expected 200 with the task id', `${r.status} ${r.text}`)
        seen.add(r.json.task_status)
        expect(['PENDING', 'STARTED', 'SUCCESS'].includes(r.json.task_status), 'expected PENDING, STARTED or SUCCESS', r.json)
        if (r.json.task_status === 'SUCCESS') return
        if (Date.now() > deadline) throw new Deviation(`still ${r.json.task_status} after ${timeoutSeconds} s`)
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    })
    log(`      statuses seen: ${[...seen].join(' -> ')}`)
    await step('GET result is a calendar with the todo as an event', async () => {
      const r = await request('GET', `${api}/todos/ical/${task.task_id}/result`)
      const type = r.headers.get('content-type') ?? ''
      expect(r.status === 200 && type.startsWith('text/calendar'), 'expected 200 text/calendar', `${r.status} ${type}`)
      const event = parseCalendar(r.text).events.find((e) => e.uid === String(created.id))
      expect(event !== undefined, `expected an event with UID ${created.id}`, r.text.slice(0, 400))
      expect(event!.summary === todo.title && event!.description === todo.description, 'expected SUMMARY and DESCRIPTION of the todo', event)
      expect(event!.start === todo.deadline_at, `expected DTSTART ${todo.deadline_at}`, event!.start)
    })
  } finally {
    await step('DELETE /todos/{id} cleans up', async () => {
      const r = await request('DELETE', `${api}/todos/${created.id}`)
      expect(r.status === 200, 'expected 200', `${r.status} ${r.text}`)
    })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Every wrong argument in one message; commander alone stops at the first.
  const problems: string[] = []
  const program = new Command('smoke')
    .description('Check a running TaskOverflow end to end, as the practical does with curl.')
    .argument('<url>', 'base URL, e.g. http://localhost:6400 or the api_url output of the deploy')
    .option('--timeout <seconds>', 'how long the export may take', (v) => {
      if (WHOLE_NUMBER.test(v) && Number(v) > 0) return Number(v)
      problems.push(`--timeout: expected whole seconds, more than 0, got ${JSON.stringify(v)}`)
      return Number.NaN
    }, 120)
    .parse()
  const [url] = program.args
  if (!isHttpUrl(url ?? '')) problems.push(`URL: expected an http:// or https:// URL such as http://localhost:6400, got ${JSON.stringify(url)}`)
  const { timeout } = program.opts<{ timeout: number }>()
  if (problems.length > 0) {
    console.error(`Invalid settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n(run with --help for usage)`)
    process.exitCode = 1
  } else {
    console.log(`Smoke test of ${url}`)
    smoke(url!, timeout).then(
      () => console.log('Smoke test passed.'),
      (err: unknown) => {
        console.error(`  FAILED: ${err instanceof Error ? err.message : String(err)}`)
        process.exitCode = 1
      },
    )
  }
}
