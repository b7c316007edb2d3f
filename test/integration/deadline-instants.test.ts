import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { parseCalendar } from '../../scripts/lib/ical.js'
import { httpCall } from '../../scripts/lib/http.js'
import { eventually } from '../support/eventually.js'
import { startTestSystem, type TestSystem } from '../support/system.js'

let system: TestSystem
let api: string

beforeAll(async () => {
  system = await startTestSystem()
  api = system.apiUrl
  system.startWorker()
})
afterAll(async () => {
  await system?.close()
})
beforeEach(async () => {
  await system.pool.query('TRUNCATE todos RESTART IDENTITY')
})

const post = async (title: string, deadline_at: string | null) => (await httpCall('POST', `${api}/todos`, { title, deadline_at })).json as { id: number; deadline_at: string | null }

/** `hours` from now as an instant written in the +14:00 offset (Kiribati), whose digits run 14 h ahead of UTC. */
function inHoursAt14(hours: number): string {
  const local = new Date(Date.now() + hours * 3_600_000 + 14 * 3_600_000)
  return `${local.toISOString().slice(0, 19)}+14:00`
}

async function exported(): Promise<string> {
  const { json } = await httpCall('POST', `${api}/todos/ical`)
  await eventually('the export to succeed', async () => (await httpCall('GET', json.task_url)).json.task_status === 'SUCCESS' || undefined)
  return (await httpCall('GET', `${api}/todos/ical/${json.task_id}/result`)).text
}

describe('a deadline sent with an offset', () => {
  it('is an instant: returned in UTC with Z, everywhere the API returns it', async () => {
    const created = await httpCall('POST', `${api}/todos`, { title: 'Brisbane', deadline_at: '2031-04-03T14:00:00+10:00' })
    expect(created.status).toBe(201)
    expect(created.json.deadline_at).toBe('2031-04-03T04:00:00Z')
    expect((await httpCall('GET', `${api}/todos/${created.json.id}`)).json.deadline_at).toBe('2031-04-03T04:00:00Z')
    expect((await httpCall('GET', `${api}/todos`)).json.map((t: { deadline_at: string }) => t.deadline_at)).toEqual(['2031-04-03T04:00:00Z'])
    expect((await httpCall('POST', `${api}/todos`, { title: 'UTC', deadline_at: '2031-04-03T14:00:00Z' })).json.deadline_at).toBe('2031-04-03T14:00:00Z')
  })

  it('without an offset stays the wall-clock time it names, as the course expects', async () => {
    expect((await post('Project Proposal', '2023-04-03T14:00:00')).deadline_at).toBe('2023-04-03T14:00:00')
    expect((await httpCall('GET', `${api}/todos`)).json[0].deadline_at).toBe('2023-04-03T14:00:00')
  })

  it('is written in UTC in the calendar, and a wall-clock one floating', async () => {
    const instant = await post('Instant', '2031-04-03T14:00:00+10:00')
    const floating = await post('Floating', '2023-04-03T14:00:00')
    const text = await exported()
    expect(text).toContain('DTSTART:20310403T040000Z\r\n')
    expect(text).toContain('DTSTART:20230403T140000\r\n')
    const events = parseCalendar(text).events
    expect(events.find((e) => e.uid === String(instant.id))).toMatchObject({ start: '2031-04-03T04:00:00Z', floating: false })
    expect(events.find((e) => e.uid === String(floating.id))).toMatchObject({ start: '2023-04-03T14:00:00', floating: true })
  })

  it('changes kind when a PUT changes the deadline', async () => {
    const { id } = await post('Moving', '2031-04-03T14:00:00+10:00')
    const put = async (deadline_at: string | null) => (await httpCall('PUT', `${api}/todos/${id}`, { deadline_at })).json.deadline_at
    expect(await put('2031-05-01T09:00:00')).toBe('2031-05-01T09:00:00')
    expect(await put('2031-05-01T09:00:00-04:00')).toBe('2031-05-01T13:00:00Z')
    expect((await httpCall('PUT', `${api}/todos/${id}`, { title: 'Renamed' })).json.deadline_at).toBe('2031-05-01T13:00:00Z')
    expect(await put(null)).toBeNull()
    expect((await httpCall('GET', `${api}/todos/${id}`)).json.deadline_at).toBeNull()
  })

  it('is in ?window=N by the instant it names, beside wall-clock ones by the wall clock', async () => {
    const soon = await post('instant, 4 days 20 h from now', inHoursAt14(4 * 24 + 20))
    const later = await post('instant, 5 days 4 h from now', inHoursAt14(5 * 24 + 4))
    const wallClock = await post('wall clock, 2 days from now', new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 19))
    await post('no deadline', null)
    const { json } = await httpCall('GET', `${api}/todos?window=5`)
    expect(json.map((t: { id: number }) => t.id)).toEqual([soon.id, wallClock.id])
    expect(later.deadline_at).toMatch(/Z$/)
  })
})
