import { Testing } from 'cdktf'
import { readDeployConfig, type DeployConfig } from '../../stacks/config.js'
import { synthesizeStacks } from '../../stacks/synthesize.js'
import { ROOT } from '../../scripts/lib/paths.js'

export { containers, json, resources } from './terraform-json.js'

export type StackName = 'queue-playground' | 'taskoverflow-core' | 'taskoverflow-images' | 'taskoverflow-services'
export const STACKS: StackName[] = ['queue-playground', 'taskoverflow-core', 'taskoverflow-images', 'taskoverflow-services']

/**
 * Synthesizes the whole app (cross-stack references are only resolved that way) and returns
 * each stack's Terraform JSON as text, the form cdktf's matchers take: the four stacks, and the
 * state bucket's when a bucket is named.
 */
export function synthAll(env: Record<string, string> = {}, options: { credentialsFile?: string; localSqsEndpoint?: string } = {}): Record<StackName, string> & { 'state-bucket'?: string } {
  const { localSqsEndpoint, ...synthOptions } = options
  // Built for amd64 unless a test says otherwise, so the snapshots are the same on every machine.
  const config: DeployConfig = { ...readDeployConfig({ TASKOVERFLOW_ARCH: 'amd64', ...env }), localSqsEndpoint }
  return synthesizeStacks(config, { ...synthOptions, projectRoot: ROOT }, Testing.app()) as Record<StackName, string>
}
