import { join } from 'node:path'
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, ListQueueTagsCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmbeddedSqs, type EmbeddedSqs } from '../../scripts/local/embedded-sqs.js'
import { synthesizeForTerraform } from '../../scripts/aws/app-synth.js'
import { terraform, writeTerraformCliConfig } from '../../scripts/aws/terraform.js'
import { readDeployConfig } from '../../stacks/config.js'
import { testFolder } from '../support/test-folder.js'

const root = testFolder('taskoverflow-apply-')
let stackDir: string
let emulator: EmbeddedSqs
let cliConfigFile: string

beforeAll(async () => {
  stackDir = join(root.path, 'cdktf.out', 'stacks', 'queue-playground')
  emulator = await startEmbeddedSqs({ enforceRules: true })
  cliConfigFile = writeTerraformCliConfig(join(root.path, 'terraform'))
  // The setting meant only for local emulation: provider endpoints and skip flags.
  synthesizeForTerraform({ ...readDeployConfig({}), localSqsEndpoint: emulator.endpoint }, {}, join(root.path, 'cdktf.out'))
})
afterAll(async () => {
  await emulator?.close()
  root.remove()
})

async function attributes(name: string) {
  const { QueueUrl } = await emulator.sqs.send(new GetQueueUrlCommand({ QueueName: name }))
  const { Attributes } = await emulator.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))
  const { Tags } = await emulator.sqs.send(new ListQueueTagsCommand({ QueueUrl }))
  return { url: QueueUrl!, attributes: Attributes!, tags: Tags }
}

describe('the queue playground stack, applied for real', () => {
  it('creates the standard and FIFO queues with the real AWS provider, then destroys them', async () => {
    const tf = (...args: string[]) => terraform([...args, '-input=false', '-no-color'], { cwd: stackDir, cliConfigFile })
    await tf('init')
    await tf('apply', '-auto-approve')

    const standard = await attributes('csse6400_prac')
    const fifo = await attributes('csse6400_prac.fifo')
    expect(fifo.attributes).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'true' })
    expect(standard.attributes.FifoQueue).toBeUndefined()
    expect(standard.tags).toEqual({ ManagedBy: 'cdktf', Project: 'taskoverflow' })

    const outputs = JSON.parse(await terraform(['output', '-json'], { cwd: stackDir, cliConfigFile }))
    expect(outputs.fifo_queue_arn.value).toBe(fifo.attributes.QueueArn)
    expect(outputs.standard_queue_arn.value).toBe(standard.attributes.QueueArn)
    expect(outputs.fifo_queue_url.value).toBe(fifo.url)
    expect(outputs.standard_queue_url.value).toBe(standard.url)

    // A second plan finds nothing to change: what was applied is what the stack says.
    const plan = await tf('plan', '-detailed-exitcode')
    expect(plan).toMatch(/No changes/)

    await tf('destroy', '-auto-approve')
    const { QueueUrls } = await emulator.sqs.send(new ListQueuesCommand({}))
    expect(QueueUrls ?? []).toEqual([])
  })
})
