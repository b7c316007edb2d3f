import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf'
import type { StateBucket } from './config'

/**
 * Terraform runs each stack in cdktf.out/stacks/NAME (cdktf does, and so does
 * `terraform -chdir=cdktf.out/stacks/NAME`), so paths written into the synthesized JSON are
 * relative to that folder. Relative paths keep the output free of this machine's layout.
 */
export const PROJECT_ROOT_FROM_STACK = '../../..'

/** Where a stack's state lives on this machine when no bucket is set, relative to the project root. */
export const localStatePath = (id: string) => `.terraform-state/${id}.tfstate`

export interface StateBackendSettings {
  readonly region: string
  /** Unset: a local file in .terraform-state/, outside cdktf.out (which synth rewrites). */
  readonly stateBucket?: StateBucket
  /** The credentials file the provider uses, relative to the stack's folder; the backend reads the same. */
  readonly credentialsFile?: string
}

/**
 * The stack's state: a file on this machine, or, for a team sharing one deployment, an object in
 * S3, encrypted, with Terraform's native lock file beside it (`use_lockfile`, Terraform 1.10+),
 * which cdktf 0.21's S3Backend does not know yet and so is written as an override. cdktf makes
 * the other stacks' `terraform_remote_state` reads from the same settings.
 */
export function stateBackend(stack: TerraformStack, id: string, settings: StateBackendSettings): LocalBackend | S3Backend {
  if (!settings.stateBucket) return new LocalBackend(stack, { path: `${PROJECT_ROOT_FROM_STACK}/${localStatePath(id)}` })
  const backend = new S3Backend(stack, {
    bucket: settings.stateBucket.bucket,
    key: `${settings.stateBucket.keyPrefix}/${id}.tfstate`,
    region: settings.region,
    encrypt: true,
    ...(settings.credentialsFile ? { sharedCredentialsFiles: [settings.credentialsFile], profile: 'default' } : {}),
  })
  stack.addOverride('terraform.backend.s3.use_lockfile', true)
  return backend
}
