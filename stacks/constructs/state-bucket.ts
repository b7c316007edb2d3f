import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document'
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket'
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls'
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy'
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block'
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration'
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning'
import { Construct } from 'constructs'

export interface StateBucketProps {
  /** The bucket's name: S3 bucket names are global, so it usually carries the account id. */
  readonly bucket: string
}

/**
 * An S3 bucket for a team's Terraform state, as the course's collaboration guide keeps it:
 * versioned (an earlier state can be restored), encrypted, never public, reachable over TLS only.
 * Terraform's lock files live beside each state object (`use_lockfile`), so no DynamoDB table.
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id)
    // Never emptied by a destroy: it holds the state of everything else.
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucket, forceDestroy: false })
    new S3BucketVersioningA(this, 'versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } })
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    })
    new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    })
    new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } })
    const tlsOnly = new DataAwsIamPolicyDocument(this, 'tls-only', {
      statement: [
        {
          sid: 'DenyPlainHttp',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    })
    new S3BucketPolicy(this, 'policy', { bucket: this.bucket.id, policy: tlsOnly.json })
  }
}
