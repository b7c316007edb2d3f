import { z } from 'zod'
import type { TodoChanges, TodoFilter, TodoInput } from '@taskoverflow/shared'
import { AppError } from './errors.js'

/** Parsing of everything a client sends: bodies, query strings and path ids. */

const MAX_TITLE = 80
const MAX_DESCRIPTION = 120
const MAX_WINDOW_DAYS = 36_500
const MAX_INT4 = 2_147_483_647
const WRITABLE_FIELDS = 'title, description, completed, deadline_at'

/** PostgreSQL's varchar(n) counts characters (code points), not UTF-16 units. */
const characters = (s: string) => [...s].length

/**
 * What text the API stores: no control characters in a title (C0, DEL, C1: PostgreSQL refuses
 * NUL, and a bell or an escape sequence has no place in a calendar); in a description only tab,
 * line feed and carriage return; and nowhere a lone surrogate, which is not a character at all
 * and cannot be stored as UTF-8.
 */
const TITLE_CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const DESCRIPTION_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/
const wellFormed = (s: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)

const title = z
  .string({ error: (i) => (i.input === undefined ? 'title is required' : 'title must be a string') })
  .refine((s) => s.trim().length > 0, 'title must not be empty')
  .refine((s) => characters(s) <= MAX_TITLE, `title must be at most ${MAX_TITLE} characters`)
  .refine((s) => !TITLE_CONTROL.test(s), 'title must not contain control characters (such as NUL, tab or a line break)')
  .refine(wellFormed, 'title must be valid Unicode text (it has a lone surrogate)')

const description = z
  .string({ error: 'description must be a string or null' })
  .refine((s) => characters(s) <= MAX_DESCRIPTION, `description must be at most ${MAX_DESCRIPTION} characters`)
  .refine((s) => !DESCRIPTION_CONTROL.test(s), 'description must not contain control characters other than tab and line breaks')
  .refine(wellFormed, 'description must be valid Unicode text (it has a lone surrogate)')
  .nullable()

const completed = z.boolean({ error: 'completed must be true or false' })

const deadlineAt = z
  .string({ error: 'deadline_at must be an ISO 8601 date-time string or null' })
  .transform((value, ctx) => {
    const normalised = normaliseDateTime(value)
    if (normalised === undefined) {
      ctx.addIssue({ code: 'custom', message: 'deadline_at must be an ISO 8601 date-time such as 2023-04-03T14:00:00' })
      return z.NEVER
    }
    return normalised
  })
  .nullable()

/** An `id` in a body is tolerated (clients echo todos back) and checked by the caller. */
const createSchema = z.strictObject({
  title,
  description: description.optional(),
  completed: completed.optional(),
  deadline_at: deadlineAt.optional(),
  id: z.unknown().optional(),
})

const updateSchema = createSchema.partial()

export function parseCreateTodo(body: unknown): TodoInput {
  const { id: _ignored, ...input } = parseBody(createSchema, body)
  return input
}

export function parseUpdateTodo(body: unknown): TodoChanges & { id?: unknown } {
  return parseBody(updateSchema, body)
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  // No body, or one without Content-Type: application/json, which body-parser leaves unread.
  if (body === undefined) throw new AppError(400, 'The request body must be a JSON object, sent with Content-Type: application/json')
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const fields: Record<string, string> = {}
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] = `${key} is not a field you can set; use ${WRITABLE_FIELDS}`
    } else if (issue.path.length === 0) {
      throw new AppError(400, 'The request body must be a JSON object')
    } else {
      fields[String(issue.path[0])] ??= issue.message
    }
  }
  throw new AppError(400, Object.values(fields).join('; '), fields)
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i

/**
 * Accepts an ISO 8601 date-time and returns it in one of the API's two forms. A time with no
 * offset is the wall-clock time it names (as the practical has it): `YYYY-MM-DDTHH:MM:SS`. One
 * with an offset or `Z` names an instant: converted to UTC, `YYYY-MM-DDTHH:MM:SSZ`. Fractions of
 * a second are dropped. `undefined` for anything else, including dates that do not exist
 * (2023-02-30).
 */
export function normaliseDateTime(input: string): string | undefined {
  const match = ISO_DATE_TIME.exec(input.trim())
  if (!match) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as number[]
  const date = new Date(0)
  date.setUTCFullYear(year!, month! - 1, day!)
  date.setUTCHours(hour!, minute!, second!, 0)
  const exists =
    date.getUTCFullYear() === year && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second
  if (!exists) return undefined
  const zone = match[7]
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))
    if (offsetMinutes > 18 * 60 || Number(digits.slice(2)) > 59) return undefined
    date.setTime(date.getTime() - sign * offsetMinutes * 60_000)
  }
  const utcYear = date.getUTCFullYear()
  if (utcYear < 1 || utcYear > 9999) return undefined
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(utcYear, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${zone === undefined ? '' : 'Z'}`
}

export function parseTodoFilter(query: Record<string, unknown>): TodoFilter {
  const filter: TodoFilter = {}
  const { completed: done, window } = query
  if (done !== undefined) {
    if (done !== 'true' && done !== 'false') throw new AppError(400, 'completed must be true or false', { completed: 'must be true or false' })
    filter.completed = done === 'true'
  }
  if (window !== undefined) {
    const message = `window must be a whole number of days from 0 to ${MAX_WINDOW_DAYS}`
    if (typeof window !== 'string' || !/^\d{1,6}$/.test(window) || Number(window) > MAX_WINDOW_DAYS) throw new AppError(400, message, { window: message })
    filter.dueWithinDays = Number(window)
  }
  return filter
}

/** Ids are positive int4 values; a well-formed number beyond that range simply does not exist. */
export function parseTodoId(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new AppError(400, `Todo id must be a positive whole number, not ${JSON.stringify(raw.slice(0, 40))}`)
  const id = Number(raw)
  if (id < 1) throw new AppError(400, `Todo id must be a positive whole number, not ${id}`)
  // A positive number too large to be an id is simply not there.
  if (id > MAX_INT4) throw new AppError(404, 'Todo not found')
  return id
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function parseTaskId(raw: string): string {
  if (!UUID.test(raw)) throw new AppError(400, `Task id must be a UUID, not ${JSON.stringify(raw.slice(0, 40))}`)
  return raw.toLowerCase()
}

/** POST /todos/ical takes no parameters; an empty object is tolerated. */
export function parseEmptyBody(body: unknown): void {
  if (body === undefined) return
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError(400, 'The request body must be empty or a JSON object')
  const keys = Object.keys(body)
  if (keys.length > 0) throw new AppError(400, `This request takes no fields; remove ${keys.slice(0, 5).join(', ')}`)
}

const MAX_PIPELINE_EXPORTS = 50

/** GET /pipeline?exports=N: how many of the newest exports to show, 0 to 50 (10 unless asked). */
export function parsePipelineQuery(query: Record<string, unknown>): { exports: number } {
  const { exports } = query
  if (exports === undefined) return { exports: 10 }
  const message = `exports must be a whole number from 0 to ${MAX_PIPELINE_EXPORTS}`
  if (typeof exports !== 'string' || !/^\d{1,3}$/.test(exports) || Number(exports) > MAX_PIPELINE_EXPORTS) throw new AppError(400, message, { exports: message })
  return { exports: Number(exports) }
}
