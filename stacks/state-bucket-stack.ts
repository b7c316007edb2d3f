import { TerraformOutput } from 'cdktf'
import type { Construct } from 'constructs'
import { AwsStack, type AwsStackSettings } from './aws-stack'
import { StateBucket } from './constructs/state-bucket'

export interface StateBucketStackProps {
  /** Its own state stays on the machine that creates it: it cannot live in the bucket it makes. */
  readonly aws: Omit<AwsStackSettings, 'stateBucket'>
  readonly bucket: string
}

/** The one bucket a team's stacks keep their state in; `npm run state-bucket` creates it once. */
export class StateBucketStack extends AwsStack {
  readonly stateBucket: StateBucket

  constructor(scope: Construct, id: string, props: StateBucketStackProps) {
    super(scope, id, props.aws)
    this.stateBucket = new StateBucket(this, 'state', { bucket: props.bucket })
    new TerraformOutput(this, 'bucket', { value: this.stateBucket.bucket.bucket })
  }
}
