import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js'
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js'
import { describe, expect, it } from '@jest/globals'
import { json, synthAll, STACKS } from './synth.js'

describe('queue-playground', () => {
  const { 'queue-playground': playground } = synthAll()

  it('has the practical standard and FIFO queues, the FIFO one deduplicating by content', () => {
    expect(playground).toHaveResourceWithProperties(SqsQueue, { name: 'csse6400_prac' })
    expect(playground).toHaveResourceWithProperties(SqsQueue, { name: 'csse6400_prac.fifo', fifo_queue: true, content_based_deduplication: true })
  })

  it('outputs the ARN and URL of each queue', () => {
    expect(Object.keys(json(playground).output).sort()).toEqual(['fifo_queue_arn', 'fifo_queue_url', 'standard_queue_arn', 'standard_queue_url'])
  })

  it('uses hashicorp/aws 5.100.0 in us-east-1 by default, with the standard credential chain', () => {
    expect(json(playground).terraform.required_providers.aws).toEqual({ source: 'aws', version: '5.100.0' })
    const [provider] = json(playground).provider.aws
    expect(provider.region).toBe('us-east-1')
    expect(provider).not.toHaveProperty('shared_credentials_files')
    expect(provider).not.toHaveProperty('endpoints')
  })
})

describe('provider settings shared by every stack', () => {
  it('reads the credentials file of the practical when there is one, from every stack', () => {
    const synthesized = synthAll({ AWS_REGION: 'ap-southeast-2', TASKOVERFLOW_IAM_MODE: 'create-roles' }, { credentialsFile: '../../../credentials' })
    for (const stack of STACKS) {
      expect(synthesized[stack]).toHaveProviderWithProperties(AwsProvider, {
        region: 'ap-southeast-2',
        shared_credentials_files: ['../../../credentials'],
        profile: 'default',
      })
    }
  })

  it('points only the playground at a local emulator, with dummy credentials and the AWS checks off', () => {
    const synthesized = synthAll({}, { localSqsEndpoint: 'http://127.0.0.1:4566' })
    expect(synthesized['queue-playground']).toHaveProviderWithProperties(AwsProvider, {
      endpoints: [{ sqs: 'http://127.0.0.1:4566', sts: 'http://127.0.0.1:4566' }],
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
    })
    for (const stack of STACKS.filter((s) => s !== 'queue-playground')) expect(json(synthesized[stack]).provider.aws[0]).not.toHaveProperty('endpoints')
  })

  it('keeps Terraform state outside cdktf.out, one file per stack', () => {
    for (const [stack, synthesized] of Object.entries(synthAll())) {
      expect(json(synthesized).terraform.backend).toEqual({ local: { path: `../../../.terraform-state/${stack}.tfstate` } })
    }
  })
})
