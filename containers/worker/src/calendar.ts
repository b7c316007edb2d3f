import ical from 'ical-generator'
import type { CalendarResult, CalendarTodo } from '@taskoverflow/shared'

const PRODUCT_ID = '//Taskoverflow Calendar//mxm.dk//'

/**
 * One VEVENT per todo with a deadline: UID = todo id, SUMMARY = title, DESCRIPTION =
 * description, DTSTART = deadline as a floating (wall-clock) time, as in the practical.
 * Todos without a deadline have no time to put on a calendar: they are left out and counted.
 */
export function buildCalendar(todos: readonly CalendarTodo[], now: Date = new Date()): CalendarResult {
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
      // The deadline is a wall-clock time; read as UTC it keeps its digits in any process time zone.
      start: new Date(`${todo.deadline_at}Z`),
      floating: true,
      stamp: now,
    })
  }
  return { calendar: calendar.toString(), eventCount: todos.length - skippedCount, skippedCount }
}
