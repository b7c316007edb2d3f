import { runService } from '@taskoverflow/shared'
import { loadWorkerConfig } from './config.js'
import { createWorker } from './create-worker.js'

runService('worker', loadWorkerConfig, createWorker)
