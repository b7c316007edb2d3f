import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { buildCalendar } from '../../containers/worker/src/calendar.js'
import { parseCalendar } from '../../scripts/lib/ical.js'

const originalTz = process.env.TZ
afterEach(() => {
  process.env.TZ = originalTz
  jest.useRealTimers()
})

describe('buildCalendar', () => {
  const todos = [
    { id: 1, title: 'Project Proposal', description: 'CSSE6400 Project Proposal Due', deadline_at: '2023-04-03T14:00:00', updated_at: '2023-03-01T02:03:04' },
    { id: 2, title: 'Undated', description: null, deadline_at: null, updated_at: '2023-03-02T00:00:00' },
    { id: 3, title: 'No description', description: null, deadline_at: '2023-04-04T09:00:00', updated_at: '2023-03-20T23:59:59' },
  ]

  it('writes the practical calendar: PRODID, and one VEVENT per dated todo with UID, SUMMARY, DESCRIPTION, DTSTART', () => {
    const result = buildCalendar(todos)
    expect(result.eventCount).toBe(2)
    expect(result.skippedCount).toBe(1)
    const lines = result.calendar.split('\r\n')
    expect(lines.slice(0, 3)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Taskoverflow Calendar//mxm.dk//'])
    expect(lines).toEqual(expect.arrayContaining(['UID:1', 'SUMMARY:Project Proposal', 'DTSTART:20230403T140000', 'DESCRIPTION:CSSE6400 Project Proposal Due']))
    expect(lines.at(-1)).toBe('END:VCALENDAR')
    const parsed = parseCalendar(result.calendar)
    expect(parsed.events.map((e) => e.uid)).toEqual(['1', '3'])
    expect(parsed.events[1]!.description).toBeNull()
  })

  it.each(['UTC', 'Australia/Brisbane', 'America/Los_Angeles', 'Pacific/Chatham'])('keeps the wall-clock deadline when the process time zone is %s', (tz) => {
    process.env.TZ = tz
    const { calendar } = buildCalendar([{ id: 9, title: 't', description: null, deadline_at: '2023-03-12T02:30:00', updated_at: '2023-01-01T00:00:00' }])
    expect(calendar).toContain('DTSTART:20230312T023000')
  })

  it.each(['UTC', 'Australia/Brisbane', 'America/Los_Angeles'])('writes a deadline that names an instant in UTC when the process time zone is %s', (tz) => {
    process.env.TZ = tz
    const { calendar } = buildCalendar([{ id: 9, title: 't', description: null, deadline_at: '2031-04-03T04:00:00Z', updated_at: '2023-01-01T00:00:00' }])
    expect(calendar).toContain('\r\nDTSTART:20310403T040000Z\r\n')
    expect(parseCalendar(calendar).events[0]).toMatchObject({ start: '2031-04-03T04:00:00Z', floating: false })
  })

  it('is the same text, byte for byte, for the same todos at any time', () => {
    jest.useFakeTimers({ now: new Date('2026-11-22T00:54:57.100Z') })
    const first = buildCalendar(todos).calendar
    jest.setSystemTime(new Date('2026-11-22T00:54:59.900Z'))
    expect(buildCalendar(todos).calendar).toBe(first)
    jest.setSystemTime(new Date('2031-01-01T00:00:00Z'))
    expect(buildCalendar(todos).calendar).toBe(first)
  })

  it("stamps each event with its todo's last change, in UTC, as RFC 5545 has DTSTAMP without a METHOD", () => {
    const lines = buildCalendar(todos).calendar.split('\r\n')
    expect(lines.filter((line) => line.startsWith('DTSTAMP'))).toEqual(['DTSTAMP:20230301T020304Z', 'DTSTAMP:20230320T235959Z'])
  })

  it('produces an empty but valid calendar when there are no todos', () => {
    const result = buildCalendar([])
    expect(result).toMatchObject({ eventCount: 0, skippedCount: 0 })
    expect(parseCalendar(result.calendar).events).toEqual([])
  })
})
