import { z } from 'zod'

/**
 * The queue message names the job and nothing more: the worker reads the todos from the
 * database, so a calendar of any size fits in one SQS message, whatever the queue's
 * MaximumMessageSize (at least 1 KiB).
 */
const jobMessage = z.strictObject({
  type: z.literal('ical.export'),
  jobId: z.uuid(),
})

export type JobMessage = z.infer<typeof jobMessage>

export class InvalidJobMessageError extends Error {
  constructor(reason: string) {
    super(`Not an iCal export job message: ${reason}`)
    this.name = 'InvalidJobMessageError'
  }
}

export function encodeJobMessage(jobId: string): string {
  return JSON.stringify({ type: 'ical.export', jobId } satisfies JobMessage)
}

export function decodeJobMessage(body: string | undefined): JobMessage {
  let parsed: unknown
  try {
    parsed = JSON.parse(body ?? '')
  } catch {
    throw new InvalidJobMessageError('the body is not JSON')
  }
  const result = jobMessage.safeParse(parsed)
  if (!result.success) throw new InvalidJobMessageError(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '))
  return result.data
}
