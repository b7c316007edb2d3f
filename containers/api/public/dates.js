// @ts-check
/**
 * Deadlines are wall-clock times (`YYYY-MM-DDTHH:MM:SS`, no time zone), as in the practical:
 * "14:00" means 14:00 wherever you are. They are shown and compared as such, never shifted.
 */

const display = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })

/** @param {string} wallClock */
export function formatDeadline(wallClock) {
  return display.format(new Date(`${wallClock}Z`))
}

/** The current wall-clock time in the same form, for comparisons. */
export function nowWallClock() {
  const now = new Date()
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 19)
}

/** @param {string | null} deadline */
export function isOverdue(deadline) {
  return deadline !== null && deadline < nowWallClock()
}

/** Soonest deadline first, undated last, then oldest first. @param {import('./api.js').Todo} a @param {import('./api.js').Todo} b */
export function bySoonestDeadline(a, b) {
  if (a.deadline_at === b.deadline_at) return a.id - b.id
  if (a.deadline_at === null) return 1
  if (b.deadline_at === null) return -1
  return a.deadline_at < b.deadline_at ? -1 : 1
}

/** The value a datetime-local input takes (minutes), from a deadline. @param {string | null} deadline */
export function toInputValue(deadline) {
  return deadline === null ? '' : deadline.slice(0, 16)
}
