import type { Logger, PipelineRepository, WorkerCounters } from '@taskoverflow/shared'

const MINUTE_MS = 60_000

/**
 * What this worker has done since it started: the numbers the practical asks students to watch
 * in the console, counted where they happen. Empty receives are what an idle consumer pays for
 * (each is a billed request), so the last minute's count is kept as well as the total.
 */
export class WorkerStats {
  readonly startedAt = new Date()
  private receives = 0
  private emptyReceives = 0
  private messagesReceived = 0
  private handledCount = 0
  private retries = 0
  /** When each empty receive of the last minute returned. */
  private recentEmpty: number[] = []

  constructor(
    readonly worker: string,
    private readonly now: () => number = Date.now,
  ) {}

  emptyReceive(): void {
    this.receives += 1
    this.emptyReceives += 1
    this.recentEmpty.push(this.now())
  }

  received(messages: number): void {
    this.receives += 1
    this.messagesReceived += messages
  }

  handled(messages: number): void {
    this.handledCount += messages
  }

  retried(messages: number): void {
    this.retries += messages
  }

  counters(): WorkerCounters {
    const since = this.now() - MINUTE_MS
    this.recentEmpty = this.recentEmpty.filter((at) => at > since)
    return {
      worker: this.worker,
      startedAt: this.startedAt,
      receives: this.receives,
      emptyReceives: this.emptyReceives,
      emptyReceivesLastMinute: this.recentEmpty.length,
      messagesReceived: this.messagesReceived,
      handled: this.handledCount,
      retries: this.retries,
    }
  }
}

export interface StatsPublisher {
  start(): void
  /** Stops publishing and takes this worker off the list. */
  stop(): Promise<void>
}

/** A worker not heard from for this long was killed; the next worker to start tidies it away. */
const STALE_SECONDS = 3_600
/** Unchanged counters are written again this often, so the API still sees the worker (it looks back 45 s). */
const HEARTBEAT_MS = 30_000

/**
 * Writes the counters to the database for the API to read (GET /api/v1/pipeline): the worker
 * serves no HTTP, and this works the same locally, in compose and on ECS. Checked every
 * `intervalMs`, written when a total changed, and otherwise every 30 s: an idle worker's long polls
 * change them three times a minute, so it writes three small UPDATEs a minute. A failure is only
 * logged.
 */
export function createStatsPublisher(stats: WorkerStats, repository: Pick<PipelineRepository, 'publishWorker' | 'removeWorkers'>, intervalMs: number, logger: Logger, now: () => number = Date.now): StatsPublisher {
  let timer: NodeJS.Timeout | undefined
  let publishing: Promise<void> = Promise.resolve()
  let written = ''
  let writtenAt = Number.NEGATIVE_INFINITY
  const publish = () => {
    const counters = stats.counters()
    // The last minute's count slides by itself; only the totals say something happened.
    const { emptyReceivesLastMinute: _sliding, ...totals } = counters
    const key = JSON.stringify(totals)
    if (key === written && now() - writtenAt < HEARTBEAT_MS) return
    publishing = repository.publishWorker(counters).then(
      () => {
        written = key
        writtenAt = now()
      },
      (err: unknown) => logger.debug({ err: (err as Error).message }, 'could not publish the worker counters'),
    )
  }
  return {
    start() {
      publishing = repository
        .removeWorkers(stats.worker, STALE_SECONDS)
        .catch(() => undefined)
        .then(() => publish())
      timer = setInterval(publish, intervalMs)
      timer.unref()
    },
    async stop() {
      clearInterval(timer)
      await publishing
      await repository.removeWorkers(stats.worker, STALE_SECONDS).catch(() => undefined)
    },
  }
}
