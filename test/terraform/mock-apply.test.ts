/**
 * Every AWS-only stack applied with `terraform test` against a mocked AWS provider: the real
 * hashicorp/aws 5.100.0 schema and validators, the graph evaluated, no AWS account. The test files
 * live in test/terraform/mock/; each runs on freshly synthesized JSON in a temporary folder.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { synthesizeForTerraform, type SynthesisExtras } from '../../scripts/aws/app-synth.js'
import { terraform, writeTerraformCliConfig } from '../../scripts/aws/terraform.js'
import { readDeployConfig } from '../../stacks/config.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { aliasOutputs, mockOverrides, readableRemoteOutputs, remoteStateOverrides } from '../support/terraform-mock.js'
import { testFolder } from '../support/test-folder.js'

const TESTS = join(ROOT, 'test', 'terraform', 'mock')
const REGION = 'us-east-1'
/** Each variant's settings, and what a pause records (the URL the API had). */
const VARIANTS: Record<string, { env: Record<string, string>; extras?: SynthesisExtras }> = {
  'learner-lab': { env: {} },
  'create-roles': { env: { TASKOVERFLOW_IAM_MODE: 'create-roles' } },
  'generated-password': { env: { TASKOVERFLOW_DB_PASSWORD_MODE: 'generated' } },
  paused: { env: { TASKOVERFLOW_PAUSED: 'true' }, extras: { apiUrlBeforePause: 'http://taskoverflow-1234567890.us-east-1.elb.amazonaws.com' } },
  resumed: { env: { TASKOVERFLOW_RESTORE_FROM_SNAPSHOT: 'true' } },
  'state-bucket': { env: { TASKOVERFLOW_STATE_BUCKET: 'team-7-state' } },
}
type Variant = keyof typeof VARIANTS

const root = testFolder('taskoverflow-mock-')
let cliConfigFile: string

beforeAll(async () => {
  cliConfigFile = writeTerraformCliConfig(join(root.path, 'terraform'))
  for (const [variant, { env, extras }] of Object.entries(VARIANTS)) synthesizeForTerraform(readDeployConfig({ ...env, TASKOVERFLOW_ARCH: 'amd64' }), extras, join(root.path, variant))
})
afterAll(() => root.remove())

const stackJson = (variant: Variant, stack: string) => JSON.parse(readFileSync(join(root.path, variant, 'stacks', stack, 'cdk.tf.json'), 'utf8'))

/**
 * A folder with the stack, its generated aliases and remote outputs, and its test files (the
 * stack's own, and the variant's if there is one), then `terraform test`. Resolves to its output.
 */
async function mockApply(variant: Variant, stack: string): Promise<string> {
  const dir = join(root.path, 'apply', variant, stack)
  mkdirSync(join(dir, 'tests', 'mocks'), { recursive: true })
  const json = stackJson(variant, stack)
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json, null, 2))
  writeFileSync(join(dir, 'aliases.tf.json'), JSON.stringify(aliasOutputs(json), null, 2))
  cpSync(join(TESTS, 'aws.tfmock.hcl'), join(dir, 'tests', 'mocks', 'aws.tfmock.hcl'))
  const producers = Object.fromEntries(
    Object.keys(json.data?.terraform_remote_state ?? {}).map((name) => {
      const producer = name.replace(/^cross-stack-reference-input-/, '')
      return [producer, stackJson(variant, producer)]
    }),
  )
  const overrides = remoteStateOverrides(json, producers, REGION)
  if (overrides) writeFileSync(join(dir, 'remote.tf.json'), JSON.stringify(readableRemoteOutputs(producers, REGION), null, 2))
  // A paused stack is asserted on its own: the running stack's assertions are what resuming restores.
  const files = variant === 'paused' ? [`${stack}.${variant}.tftest.hcl`] : [`${stack}.tftest.hcl`, `${stack}.${variant}.tftest.hcl`]
  for (const file of files) {
    let text: string
    try {
      text = readFileSync(join(TESTS, file), 'utf8')
    } catch {
      continue
    }
    writeFileSync(join(dir, 'tests', file), `${overrides}\n${mockOverrides(json, REGION)}\n${text}`)
  }
  await terraform(['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, cliConfigFile })
  return terraform(['test', '-no-color'], { cwd: dir, cliConfigFile })
}

describe('terraform test with mock_provider "aws"', () => {
  it.each([
    ['learner-lab', 'queue-playground', 1],
    ['learner-lab', 'taskoverflow-core', 1],
    ['learner-lab', 'taskoverflow-services', 2],
    ['create-roles', 'taskoverflow-services', 2],
    ['generated-password', 'taskoverflow-core', 2],
    ['generated-password', 'taskoverflow-services', 1],
    ['paused', 'taskoverflow-core', 1],
    ['paused', 'taskoverflow-services', 1],
    ['resumed', 'taskoverflow-core', 2],
    ['resumed', 'taskoverflow-services', 2],
    ['state-bucket', 'state-bucket', 1],
  ] as const)('%s: %s applies and its assertions hold', async (variant, stack, runs) => {
    const output = await mockApply(variant, stack)
    expect(output).toContain(`Success! ${runs} passed, 0 failed.`)
  })
})
