import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from 'cdktf'
import type { DeployConfig } from './config'
import { defineStacks, type DefineStacksOptions } from './define-stacks'

/**
 * Every stack synthesized in this process into a temporary folder, returned as its Terraform
 * JSON text by stack name; the folder is removed. Cross-stack references resolve only when the
 * whole app is synthesized, so it always is. For what reads the JSON without deploying it
 * (`npm run cost`, the tests); `npm run synth` writes cdktf.out/ instead.
 */
export function synthesizeStacks(config: DeployConfig, options: DefineStacksOptions, app = new App({ outdir: mkdtempSync(join(tmpdir(), 'taskoverflow-synth-')) })): Record<string, string> {
  try {
    defineStacks(app, config, options)
    app.synth()
    const dir = join(app.outdir, 'stacks')
    return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name, 'cdk.tf.json'), 'utf8')]))
  } finally {
    rmSync(app.outdir, { recursive: true, force: true })
  }
}
