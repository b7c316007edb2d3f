// @ts-check
/**
 * A deadline is a wall-clock time (`YYYY-MM-DDTHH:MM:SS`, no time zone), as in the practical:
 * "14:00" means 14:00 wherever you are, so it is shown as written, never shifted. One sent with
 * an offset names an instant (`YYYY-MM-DDTHH:MM:SSZ`, in UTC): it is shown in the viewer's own
 * time, with the zone's name.
 */

const parts = /** @type {const} */ ({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })
const wallClockDisplay = new Intl.DateTimeFormat(undefined, { ...parts, timeZone: 'UTC' })
const instantDisplay = new Intl.DateTimeFormat(undefined, { ...parts, timeZoneName: 'short' })

/** @param {string} deadline */
export const isInstant = (deadline) => deadline.endsWith('Z')

/** @param {string} deadline */
export function formatDeadline(deadline) {
  // A wall-clock time read as UTC and shown in UTC keeps its digits.
  return isInstant(deadline) ? instantDisplay.format(new Date(deadline)) : wallClockDisplay.format(new Date(`${deadline}Z`))
}

/** When a deadline falls for the viewer: a wall-clock one in their time zone (a date-time without a zone is local time in JavaScript). @param {string} deadline */
const falls = (deadline) => new Date(deadline).getTime()

/** @param {string | null} deadline */
export function isOverdue(deadline) {
  return deadline !== null && falls(deadline) < Date.now()
}

/** Soonest deadline first, undated last, then oldest first. @param {import('./api.js').Todo} a @param {import('./api.js').Todo} b */
export function bySoonestDeadline(a, b) {
  if (a.deadline_at === b.deadline_at) return a.id - b.id
  if (a.deadline_at === null) return 1
  if (b.deadline_at === null) return -1
  return falls(a.deadline_at) - falls(b.deadline_at) || a.id - b.id
}

/** The value a datetime-local input takes (minutes), from a deadline: an instant in the viewer's time. @param {string | null} deadline */
export function toInputValue(deadline) {
  if (deadline === null) return ''
  if (!isInstant(deadline)) return deadline.slice(0, 16)
  const instant = new Date(deadline)
  return new Date(instant.getTime() - instant.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
}

/** A datetime-local input's value as the instant it names in the viewer's time zone, in UTC. @param {string} value */
export function toInstant(value) {
  return new Date(value).toISOString()
}
