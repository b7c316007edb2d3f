import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js'
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js'
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js'
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js'
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js'
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js'
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js'
import { describe, expect, it } from '@jest/globals'
import { StateBucket } from '../../../stacks/constructs/state-bucket.js'
import { dataSources, ref, synthConstruct } from './synth-construct.js'

// No props but the name, and no guard: S3 and the settings (stacks/config.ts) check the name.
const { synthesized, made } = synthConstruct((scope) => new StateBucket(scope, 'state', { bucket: 'team-7-state' }))
const bucketId = ref(made.bucket, 'id')

describe('StateBucket', () => {
  it('is the bucket named, which a destroy never empties: it holds the state of everything else', () => {
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: 'team-7-state', force_destroy: false })
  })

  it('keeps every earlier state, so one can be restored', () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, { bucket: bucketId, versioning_configuration: { status: 'Enabled' } })
  })

  it('encrypts every object at rest', () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: bucketId,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    })
  })

  it('is never public, by ACL or by policy, and ignores ACLs altogether', () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: bucketId,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    })
    expect(synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, { bucket: bucketId, rule: { object_ownership: 'BucketOwnerEnforced' } })
  })

  it('refuses every request to the bucket and its objects that does not come over TLS', () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        {
          sid: 'DenyPlainHttp',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:*'],
          resources: [ref(made.bucket, 'arn'), `${ref(made.bucket, 'arn')}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    })
    const [document] = Object.keys(dataSources(synthesized, 'aws_iam_policy_document'))
    expect(synthesized).toHaveResourceWithProperties(S3BucketPolicy, { bucket: bucketId, policy: `\${data.aws_iam_policy_document.${document}.json}` })
  })
})
