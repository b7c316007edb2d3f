import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { synthesizeForTerraform } from '../../scripts/aws/app-synth.js'
import { terraform, writeTerraformCliConfig } from '../../scripts/aws/terraform.js'
import { readDeployConfig } from '../../stacks/config.js'
import { testFolder } from '../support/test-folder.js'

/** Every stack that needs only the AWS provider; taskoverflow-images needs Docker's. */
const AWS_ONLY_STACKS = ['queue-playground', 'taskoverflow-core', 'taskoverflow-services']

const root = testFolder('taskoverflow-validate-')
let outdir: string
let cliConfigFile: string

beforeAll(async () => {
  outdir = join(root.path, 'cdktf.out')
  cliConfigFile = writeTerraformCliConfig(join(root.path, 'terraform'))
  synthesizeForTerraform(readDeployConfig({}), {}, outdir)
})
afterAll(() => root.remove())

const stackJson = (stack: string) => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'))

describe('terraform validate with the real hashicorp/aws provider', () => {
  it('keeps the docker provider to the images stack alone', () => {
    for (const stack of AWS_ONLY_STACKS) expect(Object.keys(stackJson(stack).terraform.required_providers)).toEqual(['aws'])
    expect(Object.keys(stackJson('taskoverflow-images').terraform.required_providers).sort()).toEqual(['aws', 'docker'])
  })

  it.each(AWS_ONLY_STACKS)('%s is valid', async (stack) => {
    const cwd = join(outdir, 'stacks', stack)
    await terraform(['init', '-backend=false', '-input=false', '-no-color'], { cwd, cliConfigFile })
    const lock = readFileSync(join(cwd, '.terraform.lock.hcl'), 'utf8')
    expect(lock).toMatch(/provider "registry\.terraform\.io\/hashicorp\/aws" \{\s+version\s+= "5\.100\.0"/)
    const result = JSON.parse(await terraform(['validate', '-json', '-no-color'], { cwd, cliConfigFile }))
    const errors = result.diagnostics.filter((d: { severity: string }) => d.severity === 'error')
    expect(errors).toEqual([])
    expect(result.valid).toBe(true)
  })
})
