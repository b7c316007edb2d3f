/**
 * deploy, pause, resume and destroy as their scripts run them, in this process: the real flows,
 * the real SDK clients and the real runStacks, against the AWS stand-in and the fake terraform,
 * with the waits' clock made virtual so a five-minute bound passes at once.
 */
import { join } from 'node:path'
import { ECSClient } from '@aws-sdk/client-ecs'
import { RDSClient } from '@aws-sdk/client-rds'
import { S3Client } from '@aws-sdk/client-s3'
import { SQSClient } from '@aws-sdk/client-sqs'
import { jest } from '@jest/globals'
import { synthesizeForTerraform } from '../../scripts/aws/app-synth.js'
import type { Lifecycle } from '../../scripts/aws/lifecycle.js'
import { runStacks } from '../../scripts/aws/stack-runner.js'
import { readDeployConfig } from '../../stacks/config.js'
import { newWorld, startAwsStandIn, type AwsStandIn, type World } from './aws-stand-in.js'
import { terraformControl, writeFakeTerraform, type TerraformLog } from './fake-terraform.js'

export interface Harness {
  readonly world: World
  readonly terraform: TerraformLog
  readonly standIn: AwsStandIn
  /** Everything printed, by the flows and by Terraform's runs. */
  readonly printed: string[]
  /** The lifecycle a command works with, with these settings. */
  lifecycle(command: string, env?: Record<string, string>): Lifecycle
  /** Runs `fn` with console and process output captured into `printed`. */
  capture<T>(fn: () => Promise<T>): Promise<T>
  close(): void
}

export async function lifecycleHarness(root: string): Promise<Harness> {
  const world = newWorld()
  const terraform: TerraformLog = { runs: [], settings: [] }
  let base = ''
  const standIn = await startAwsStandIn(world, (path, body) => terraformControl(world, terraform, base)(path, body))
  base = standIn.endpoint
  // Jest gives each test file its own process.env: this reaches only this file's runs.
  process.env.TERRAFORM_BIN = writeFakeTerraform(root, standIn.endpoint)
  const settings = { region: 'us-east-1', endpoint: standIn.endpoint, credentials: { accessKeyId: 'ASIATEST', secretAccessKey: 'test', sessionToken: 'test' }, maxAttempts: 1 }
  const aws = { rds: new RDSClient(settings), ecs: new ECSClient(settings), sqs: new SQSClient(settings), s3: new S3Client({ ...settings, forcePathStyle: true }) }
  const printed: string[] = []
  let clock = 0
  return {
    world,
    terraform,
    standIn,
    printed,
    lifecycle: (command, env = {}) => ({
      config: readDeployConfig({ TASKOVERFLOW_ARCH: 'amd64', ...env }),
      aws,
      terraform: (verb, stacks, app, options) => runStacks(verb, stacks, { outdir: app.outdir, ...options }),
      synthesize: (config, extras) => synthesizeForTerraform(config, extras, join(root, 'cdktf.out')),
      log: (line) => void printed.push(line),
      command,
      root,
      waits: { pollMs: 5_000, sleep: async (ms) => void (clock += ms), now: () => clock },
    }),
    async capture(fn) {
      const keep = (chunk: unknown) => (printed.push(String(chunk)), true)
      const spies = [
        jest.spyOn(process.stdout, 'write').mockImplementation(keep),
        jest.spyOn(process.stderr, 'write').mockImplementation(keep),
        jest.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line))),
        jest.spyOn(console, 'error').mockImplementation((line: unknown) => void printed.push(String(line))),
      ]
      try {
        return await fn()
      } finally {
        spies.forEach((spy) => spy.mockRestore())
      }
    },
    close() {
      Object.values(aws).forEach((client) => client.destroy())
      standIn.close()
    },
  }
}
