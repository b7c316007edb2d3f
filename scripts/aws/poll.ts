/** How a wait asks again, and what it measures its bound with; tests give their own clock and sleep. */
export interface PollOptions {
  readonly pollMs?: number
  readonly sleep?: (ms: number) => Promise<void>
  /** The clock the bound is measured on. @default Date.now */
  readonly now?: () => number
  readonly log?: (line: string) => void
  readonly timeoutMs?: number
}

/** What one look found: the wait is over with this value, or it goes on, saying why. */
export type Look<T> = { readonly done: T } | { readonly waiting: string }

/**
 * Looks every `pollMs` until `look` says done, logging each new reason for waiting once. Once
 * `timeoutMs` has passed, `look` is told it is overdue, and ends the wait its own way: it throws
 * with what to do, or settles for what it found.
 */
export async function waitUntil<T>(look: (overdue: boolean) => Promise<Look<T>>, defaults: { readonly pollMs: number; readonly timeoutMs: number }, options: PollOptions = {}): Promise<T> {
  const { pollMs = defaults.pollMs, sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)), now = Date.now, log = console.log, timeoutMs = defaults.timeoutMs } = options
  const started = now()
  let said = ''
  for (;;) {
    const found = await look(now() - started > timeoutMs)
    if ('done' in found) return found.done
    if (found.waiting !== said) log(found.waiting)
    said = found.waiting
    await sleep(pollMs)
  }
}
