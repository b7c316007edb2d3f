import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js'
import { describe, expect, it } from '@jest/globals'
import { json, resources, STACKS, synthAll } from './synth.js'

const local = synthAll()
const shared = synthAll({ TASKOVERFLOW_STATE_BUCKET: 'team-7-state', TASKOVERFLOW_STATE_KEY_PREFIX: 'course/team-7' }, { credentialsFile: '../../../credentials' })

describe('where each stack keeps its state', () => {
  it('is a file in .terraform-state/ when no bucket is named, and no bucket stack exists', () => {
    for (const stack of STACKS) expect(json(local[stack]).terraform.backend).toEqual({ local: { path: `../../../.terraform-state/${stack}.tfstate` } })
    expect(local['state-bucket']).toBeUndefined()
  })

  it('is an encrypted, lock-filed object in the team bucket for every stack, read with the same credentials', () => {
    for (const stack of STACKS) {
      expect(json(shared[stack]).terraform.backend).toEqual({
        s3: {
          bucket: 'team-7-state',
          key: `course/team-7/${stack}.tfstate`,
          region: 'us-east-1',
          encrypt: true,
          use_lockfile: true,
          shared_credentials_files: ['../../../credentials'],
          profile: 'default',
        },
      })
    }
  })

  it('is read from the bucket by the stacks that use another stack\'s outputs', () => {
    const reads = Object.entries<any>(json(shared['taskoverflow-services']).data.terraform_remote_state)
    expect(reads.map(([name]) => name).sort()).toEqual(['cross-stack-reference-input-taskoverflow-core', 'cross-stack-reference-input-taskoverflow-images'])
    for (const [name, read] of reads) {
      const producer = name.replace('cross-stack-reference-input-', '')
      expect(read.backend).toBe('s3')
      expect(read.config).toMatchObject({ bucket: 'team-7-state', key: `course/team-7/${producer}.tfstate`, region: 'us-east-1' })
    }
  })

  it('of the bucket itself stays local: it cannot live in the bucket it creates', () => {
    const bucket = shared['state-bucket']!
    expect(json(bucket).terraform.backend).toEqual({ local: { path: '../../../.terraform-state/state-bucket.tfstate' } })
  })

  it("is the bucket the settings name, which the bucket's own stack makes and outputs", () => {
    const bucket = shared['state-bucket']!
    expect(bucket).toHaveResourceWithProperties(S3Bucket, { bucket: 'team-7-state' })
    const [made] = Object.keys(resources(bucket, 'aws_s3_bucket'))
    expect(json(bucket).output.bucket.value).toBe(`\${aws_s3_bucket.${made}.bucket}`)
  })
})
