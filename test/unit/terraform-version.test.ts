/**
 * The deploy commands refuse a terraform older than they need, or one that is no Terraform,
 * before anything runs: a stand-in CLI says each version.
 */
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { checkTerraform, TERRAFORM_MINIMUM } from '../../scripts/aws/terraform.js'
import { testFolder } from '../support/test-folder.js'

const folder = testFolder('taskoverflow-terraform-version-')
afterAll(() => folder.remove())

/** A terraform that answers `version -json` with `answer`. */
function terraformSaying(name: string, answer: string): string {
  const bin = join(folder.path, name)
  writeFileSync(bin, `#!/bin/sh\ncat <<'JSON'\n${answer}\nJSON\n`)
  chmodSync(bin, 0o755)
  return bin
}

describe('checking the terraform CLI', () => {
  it('accepts the minimum and anything newer', async () => {
    for (const version of [`${TERRAFORM_MINIMUM}.0`, '1.11.4', '1.14.0-beta2', '2.0.0']) {
      const bin = terraformSaying(`terraform-${version}`, JSON.stringify({ terraform_version: version }))
      await expect(checkTerraform({ TERRAFORM_BIN: bin })).resolves.toEqual({ bin, version })
    }
  })

  it('refuses an older one, saying which it is and what is needed', async () => {
    const bin = terraformSaying('terraform-old', JSON.stringify({ terraform_version: '1.9.8' }))
    await expect(checkTerraform({ TERRAFORM_BIN: bin })).rejects.toThrow(`${bin} is Terraform 1.9.8; these commands need 1.10 or newer.`)
  })

  it('refuses what does not say a version', async () => {
    const bin = terraformSaying('not-terraform', 'hello')
    await expect(checkTerraform({ TERRAFORM_BIN: bin })).rejects.toThrow(`${bin} did not say its version`)
  })

  it('uses the real one on this machine', async () => {
    await expect(checkTerraform()).resolves.toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) })
  })
})
