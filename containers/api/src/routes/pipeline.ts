import { Router } from 'express'
import type { PublishedWorker } from '@taskoverflow/shared'
import { methodNotAllowed } from '../errors.js'
import type { PipelineService } from '../services/pipeline-service.js'
import type { QueueCounts, QueueReading } from '../services/queue-gauge.js'
import { parsePipelineQuery } from '../validation.js'
import { timelineJson } from './timeline-json.js'

const countsJson = (counts: QueueCounts) => ({ name: counts.name, available: counts.available, in_flight: counts.inFlight, delayed: counts.delayed })

function queuesJson(reading: QueueReading, maxAgeMs: number) {
  const common = { checked_at: reading.checkedAt.toISOString(), max_age_seconds: maxAgeMs / 1_000 }
  if ('error' in reading) return { ...common, error: reading.error }
  return { ...common, jobs: countsJson(reading.jobs), dead_letter: reading.deadLetter && countsJson(reading.deadLetter) }
}

const workerJson = (worker: PublishedWorker) => ({
  name: worker.worker,
  started_at: worker.startedAt.toISOString(),
  seen_at: worker.seenAt.toISOString(),
  receives: worker.receives,
  empty_receives: worker.emptyReceives,
  empty_receives_last_minute: worker.emptyReceivesLastMinute,
  messages_received: worker.messagesReceived,
  handled: worker.handled,
  retries: worker.retries,
})

export function pipelineRoutes(pipeline: PipelineService, queueMaxAgeMs: number): Router {
  const router = Router()
  router
    .route('/pipeline')
    .get(async (req, res) => {
      const snapshot = await pipeline.snapshot(parsePipelineQuery(req.query).exports)
      res.json({
        queues: queuesJson(snapshot.queues, queueMaxAgeMs),
        workers: snapshot.workers.map(workerJson),
        exports: snapshot.exports.map((job) => ({ task_id: job.id, task_status: job.status, timeline: timelineJson(job.timeline) })),
      })
    })
    .all(methodNotAllowed(['GET']))
  return router
}
