/**
 * The deploy commands refuse a terraform older than they need, or one that is no Terraform,
 * before anything runs: a stand-in CLI says each version.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { checkTerraform, TERRAFORM_MINIMUM } from '../../scripts/aws/terraform.js'
import { terraformStandIn } from '../support/terraform-stand-in.js'
import { testFolder } from '../support/test-folder.js'

const folder = testFolder('taskoverflow-terraform-version-')
afterAll(() => folder.remove())

describe('checking the terraform CLI', () => {
  it('accepts the minimum and anything newer', async () => {
    for (const version of [`${TERRAFORM_MINIMUM}.0`, '1.11.4', '1.14.0-beta2', '2.0.0']) {
      const bin = terraformStandIn(folder.path, { version }, `terraform-${version}`)
      await expect(checkTerraform({ TERRAFORM_BIN: bin })).resolves.toEqual({ bin, version })
    }
  })

  it('refuses an older one, saying which it is and what is needed', async () => {
    const bin = terraformStandIn(folder.path, { version: '1.9.8' }, 'terraform-old')
    await expect(checkTerraform({ TERRAFORM_BIN: bin })).rejects.toThrow(`${bin} is Terraform 1.9.8; these commands need 1.10 or newer.`)
  })

  it('refuses what does not say a version', async () => {
    const bin = terraformStandIn(folder.path, { text: 'hello' }, 'not-terraform')
    await expect(checkTerraform({ TERRAFORM_BIN: bin })).rejects.toThrow(`${bin} did not say its version`)
  })
})
