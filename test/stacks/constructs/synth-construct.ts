import { rmSync } from 'node:fs'
import { DefaultTokenResolver, StringConcat, TerraformDataSource, TerraformStack, Testing, Tokenization, type TerraformResource } from 'cdktf'

export { dataSources, json, resources } from '../terraform-json.js'

const resolver = new DefaultTokenResolver(new StringConcat())

export interface SynthesizedConstruct<T> {
  /** The test stack's Terraform JSON as text, the form cdktf's matchers take. */
  readonly synthesized: string
  /** What `build` returned: the construct, and what it was given. */
  readonly made: T
  /** A value the construct exposes (a URL, an ARN) as a sibling given it would write it in the JSON. */
  readonly resolve: (value: unknown) => unknown
}

/**
 * What `build` makes, alone in a test stack of its own, synthesized. A guard that refuses the
 * props throws out of this call.
 */
export function synthConstruct<T>(build: (scope: TerraformStack) => T): SynthesizedConstruct<T> {
  // Testing.app makes a folder in the system's temporary folder; the stack is synthesized in
  // memory and never writes there, so the folder goes at once rather than staying behind.
  const app = Testing.app()
  rmSync(app.outdir, { recursive: true, force: true })
  const stack = new TerraformStack(app, 'test')
  const made = build(stack)
  return { synthesized: Testing.synth(stack), made, resolve: (value) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver }) }
}

/** Where the synthesized JSON finds a resource or data source: `aws_sqs_queue.jobs_queue_1C1A0084`, `data.aws_vpc.vpc`. */
export function address(element: TerraformResource | TerraformDataSource): string {
  const type = `${element.terraformResourceType}.${element.friendlyUniqueId}`
  return element instanceof TerraformDataSource ? `data.${type}` : type
}

/** An attribute of a resource or data source as the synthesized JSON refers to it, `${aws_sqs_queue.jobs_queue_1C1A0084.arn}`. */
export function ref(element: TerraformResource | TerraformDataSource, attribute: string): string {
  return `\${${address(element)}.${attribute}}`
}
