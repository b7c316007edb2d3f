import type { JobEvent } from '@taskoverflow/shared'

/**
 * A job's steps as the API gives them, in its status (routes/ical.ts) and in the pipeline view
 * (routes/pipeline.ts): each with the milliseconds since the step before, where the time goes.
 */
export function timelineJson(events: readonly JobEvent[]) {
  return events.map((event, i) => ({
    step: event.step,
    at: event.at.toISOString(),
    ms_since_previous: i === 0 ? null : event.at.getTime() - events[i - 1]!.at.getTime(),
    ...(event.worker === null ? {} : { worker: event.worker }),
    ...(event.attempt === null ? {} : { attempt: event.attempt }),
    ...(event.detail === null ? {} : { detail: event.detail }),
  }))
}
