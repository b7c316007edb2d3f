import ICAL from 'ical.js'

export interface ParsedEvent {
  uid: string
  summary: string
  description: string | null
  /** DTSTART as written, e.g. 2023-04-03T14:00:00 */
  start: string
  /** True when DTSTART carries no time zone (a wall-clock time). */
  floating: boolean
}

/** Parses a calendar with ical.js, an implementation independent of the one that wrote it. */
export function parseCalendar(text: string): { productId: string; version: string; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text))
  const events = calendar.getAllSubcomponents('vevent').map((event) => {
    const start = event.getFirstPropertyValue('dtstart') as ICAL.Time
    return {
      uid: String(event.getFirstPropertyValue('uid')),
      summary: String(event.getFirstPropertyValue('summary')),
      description: (event.getFirstPropertyValue('description') as string | null) ?? null,
      start: start.toString(),
      floating: start.zone === ICAL.Timezone.localTimezone && !start.toICALString().endsWith('Z'),
    }
  })
  return {
    productId: String(calendar.getFirstPropertyValue('prodid')),
    version: String(calendar.getFirstPropertyValue('version')),
    events,
  }
}
