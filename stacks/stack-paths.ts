import { LocalBackend, type TerraformStack } from 'cdktf'

/**
 * Terraform runs each stack in cdktf.out/stacks/NAME (cdktf does, and so does
 * `terraform -chdir=cdktf.out/stacks/NAME`), so paths written into the synthesized JSON are
 * relative to that folder. Relative paths keep the output free of this machine's layout.
 */
export const PROJECT_ROOT_FROM_STACK = '../../..'

/** State lives in .terraform-state/ at the project root, outside cdktf.out, which synth rewrites. */
export function stateBackend(stack: TerraformStack, id: string): LocalBackend {
  return new LocalBackend(stack, { path: `${PROJECT_ROOT_FROM_STACK}/.terraform-state/${id}.tfstate` })
}
