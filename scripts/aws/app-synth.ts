import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { App } from 'cdktf'
import type { DeployConfig } from '../../stacks/config.js'
import { providerCredentialsFile } from '../../stacks/credentials-file.js'
import { synthesizeApp, type SynthesizedStacks } from '../../stacks/synthesize.js'
import { ROOT } from '../lib/paths.js'

/** The app as Terraform will run it: OUTDIR/stacks/NAME/cdk.tf.json, and the same JSON by stack name. */
export interface SynthesizedApp {
  readonly outdir: string
  readonly stacks: SynthesizedStacks
}

/** Facts the scripts read from a deployment that the stacks record (not settings). */
export interface SynthesisExtras {
  readonly apiUrlBeforePause?: string
}

/** Where the scripts synthesize: cdktf.out, or where cdktf's own CDKTF_OUTDIR says, as `npm run synth` does. */
export const appOutdir = (env: NodeJS.ProcessEnv = process.env) => env.CDKTF_OUTDIR || join(ROOT, 'cdktf.out')

/**
 * The stacks, synthesized once in this process from the typed settings, where deploy, pause,
 * resume, destroy and state-bucket then run Terraform: the same JSON `npm run synth` writes.
 */
export function synthesizeForTerraform(config: DeployConfig, extras: SynthesisExtras = {}, outdir = appOutdir()): SynthesizedApp {
  mkdirSync(outdir, { recursive: true })
  const options = { credentialsFile: providerCredentialsFile(config.credentialsFile, ROOT), projectRoot: ROOT, ...extras }
  return { outdir, stacks: synthesizeApp(config, options, new App({ outdir })) }
}
