import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { jobTiming, jobTimingSettings, type JobTiming } from '@taskoverflow/shared'
import { ROOT } from '../../scripts/lib/paths.js'
import type { SqsRequest } from '../../scripts/local/sqs-rules-proxy.js'
import { killWithParent } from '../../scripts/local/services.js'
import { freePort } from '../../scripts/local/ports.js'

export interface SqsProcess {
  readonly endpoint: string
  readonly queueUrl: string
  readonly deadLetterUrl: string
  readonly port: number
  readonly child: () => ChildProcess
  /** Stops the emulator (its messages are lost, as with any in-memory emulator). */
  stop(): Promise<void>
  /** Starts it again on the same port, with the same (empty) queues. */
  start(): Promise<void>
}

export type SqsProcessOptions = {
  /** What the job queue is made for. @default the deployed queue's */
  readonly jobTiming?: JobTiming
  /** Told of each SQS request a client sends (the emulator's own set-up excluded). @default none */
  readonly onRequest?: (request: SqsRequest) => void
}

/** The SQS emulator as a process of its own (scripts/sqs-emulator.ts), so it can be stopped and started like a real service. */
export async function startSqsProcess(options: SqsProcessOptions = {}): Promise<SqsProcess> {
  const port = await freePort()
  let child: ChildProcess
  let ready: { endpoint: string; queueUrl: string; deadLetterUrl: string }
  const start = async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sqs-emulator.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        SQS_PORT: String(port),
        SQS_EMULATOR_JSON: 'true',
        SQS_EMULATOR_REQUESTS: String(options.onRequest !== undefined),
        // As the emulator reads the services' own job timing variables.
        ...Object.fromEntries(Object.entries(jobTimingSettings(options.jobTiming ?? jobTiming())).map(([name, value]) => [name, String(value)])),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    killWithParent(child)
    ready = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! })
      // The first line says where it is; any after it are requests (SQS_EMULATOR_REQUESTS).
      lines.once('line', (line) => {
        resolve(JSON.parse(line))
        lines.on('line', (request) => options.onRequest?.((JSON.parse(request) as { request: SqsRequest }).request))
      })
      child.once('exit', (code) => reject(new Error(`the SQS emulator exited with ${code}`)))
    })
  }
  await start()
  return {
    get endpoint() {
      return ready.endpoint
    },
    get queueUrl() {
      return ready.queueUrl
    },
    get deadLetterUrl() {
      return ready.deadLetterUrl
    },
    port,
    child: () => child,
    start,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}
