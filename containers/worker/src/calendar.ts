import ical from 'ical-generator'
import type { CalendarResult, CalendarTodo } from '@taskoverflow/shared'

const PRODUCT_ID = '//Taskoverflow Calendar//mxm.dk//'

/** A `YYYY-MM-DDTHH:MM:SS` time read as UTC, which keeps its digits in any process time zone. */
const utc = (wallClock: string) => new Date(`${wallClock}Z`)

/**
 * One VEVENT per todo with a deadline: UID = todo id, SUMMARY = title, DESCRIPTION =
 * description, DTSTART = deadline: a wall-clock one as a floating time, as in the practical; an
 * instant (sent with an offset, `...Z`) in UTC, so every calendar shows it at that instant.
 * Todos without a deadline have no time to put on a calendar: they are left out and counted.
 *
 * Nothing in it comes from the clock, so the same todos make the same text at any time, and a
 * calendar is stored once (keyed by its SHA-256). DTSTAMP is the todo's last change: RFC 5545
 * (3.8.7.2) makes it that, the LAST-MODIFIED, in a calendar without a METHOD, as this one is.
 */
export function buildCalendar(todos: readonly CalendarTodo[]): CalendarResult {
  const calendar = ical({ prodId: PRODUCT_ID })
  let skippedCount = 0
  for (const todo of todos) {
    if (todo.deadline_at === null) {
      skippedCount++
      continue
    }
    calendar.createEvent({
      id: todo.id,
      summary: todo.title,
      description: todo.description,
      ...(todo.deadline_at.endsWith('Z') ? { start: new Date(todo.deadline_at) } : { start: utc(todo.deadline_at), floating: true }),
      stamp: utc(todo.updated_at),
    })
  }
  return { calendar: calendar.toString(), eventCount: todos.length - skippedCount, skippedCount }
}
