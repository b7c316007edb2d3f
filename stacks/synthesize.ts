import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from 'cdktf'
import type { DeployConfig } from './config'
import { defineStacks, type DefineStacksOptions } from './define-stacks'

/** Each synthesized stack's Terraform JSON, as text, by stack name. */
export type SynthesizedStacks = Record<string, string>

/**
 * Every stack synthesized in this process, from one typed configuration, into the app's folder
 * (OUTDIR/stacks/NAME/cdk.tf.json, where Terraform then runs), returned as JSON text by stack name.
 * Cross-stack references resolve only when the whole app is synthesized, so it always is. What
 * deploys (npm run deploy, pause, resume, destroy) and what only reads (cost, status, the tests)
 * synthesize alike: no child process, no setting turned back into an environment string.
 */
export function synthesizeApp(config: DeployConfig, options: DefineStacksOptions, app: App): SynthesizedStacks {
  // The stacks defined now, not every folder there: an earlier synth may have left others.
  const names = Object.values(defineStacks(app, config, options)).map((stack) => stack.node.id)
  app.synth()
  return Object.fromEntries(names.map((name) => [name, readFileSync(join(app.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')]))
}

/** The same, into a temporary folder that is removed: for what reads the JSON without deploying it. */
export function synthesizeStacks(config: DeployConfig, options: DefineStacksOptions, app = new App({ outdir: mkdtempSync(join(tmpdir(), 'taskoverflow-synth-')) })): SynthesizedStacks {
  try {
    return synthesizeApp(config, options, app)
  } finally {
    rmSync(app.outdir, { recursive: true, force: true })
  }
}
