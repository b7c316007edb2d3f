import type { JobTimeline, PipelineRepository, PublishedWorker } from '@taskoverflow/shared'
import type { QueueGauge, QueueReading } from './queue-gauge.js'

/** Workers publish when their counters change and at least every 30 s; one not heard from in 45 s has stopped or is stuck. */
const WORKER_FRESH_SECONDS = 45

export interface PipelineSnapshot {
  readonly queues: QueueReading
  readonly workers: PublishedWorker[]
  readonly exports: JobTimeline[]
}

/**
 * The live view of the pipeline (GET /api/v1/pipeline): how many messages each queue holds,
 * what each worker has done, and the newest exports' timelines, all read at once.
 */
export class PipelineService {
  constructor(
    private readonly repository: PipelineRepository,
    private readonly gauge: QueueGauge,
  ) {}

  async snapshot(exports: number): Promise<PipelineSnapshot> {
    const [queues, workers, recent] = await Promise.all([this.gauge.read(), this.repository.workers(WORKER_FRESH_SECONDS), exports > 0 ? this.repository.recent(exports) : []])
    return { queues, workers, exports: recent }
  }
}
