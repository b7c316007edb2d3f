import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3'
import type { DeployConfig } from '../../stacks/config.js'
import { localStatePath } from '../../stacks/stack-paths.js'
import { ROOT } from '../lib/paths.js'

/** The parts of a Terraform state (format version 4) that pause, resume, deploy and status read. */
export interface StackState {
  readonly outputs: Readonly<Record<string, { readonly value: unknown }>>
  readonly resources: readonly StateResource[]
}

export interface StateResource {
  readonly mode: 'managed' | 'data'
  readonly type: string
  readonly name: string
  readonly instances: ReadonlyArray<{ readonly attributes: Record<string, any>; readonly status?: string }>
}

/** Where a stack's state is: the file on this machine, or the object in the team's bucket. */
export const stateLocation = (config: DeployConfig, stack: string) =>
  config.stateBucket ? `s3://${config.stateBucket.bucket}/${config.stateBucket.keyPrefix}/${stack}.tfstate` : localStatePath(stack)

/**
 * A stack's state as Terraform last saved it, read without Terraform (no init, no lock): the file
 * in .terraform-state/, or the object in the team's bucket (`s3`, with the deploy's credentials;
 * none needed for the file). Undefined when there is none: never deployed from here, or
 * destroyed and gone.
 */
export async function readStackState(config: DeployConfig, stack: string, s3?: Pick<S3Client, 'send'>, root = ROOT): Promise<StackState | undefined> {
  let text: string
  if (config.stateBucket) {
    if (!s3) throw new Error(`reading ${stateLocation(config, stack)} needs an S3 client`)
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: config.stateBucket.bucket, Key: `${config.stateBucket.keyPrefix}/${stack}.tfstate` }))
      text = (await object.Body?.transformToString('utf8')) ?? ''
    } catch (err) {
      if (err instanceof NoSuchKey) return undefined
      throw err
    }
  } else {
    try {
      text = readFileSync(join(root, localStatePath(stack)), 'utf8')
    } catch {
      return undefined
    }
  }
  if (!text.trim()) return undefined
  const state = JSON.parse(text) as Partial<StackState>
  return { outputs: state.outputs ?? {}, resources: state.resources ?? [] }
}

/** The attributes of each managed resource of a type, with whether Terraform marked it tainted. */
export function managed(state: StackState | undefined, type: string): Array<{ attributes: Record<string, any>; tainted: boolean }> {
  return (state?.resources ?? [])
    .filter((resource) => resource.mode === 'managed' && resource.type === type)
    .flatMap((resource) => resource.instances.map((instance) => ({ attributes: instance.attributes, tainted: instance.status === 'tainted' })))
}

/** An output's value as a string, when the state has it. */
export function outputOf(state: StackState | undefined, name: string): string | undefined {
  const value = state?.outputs[name]?.value
  return typeof value === 'string' && value !== '' ? value : undefined
}
