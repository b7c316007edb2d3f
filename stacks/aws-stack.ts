import { TerraformStack } from 'cdktf'
import type { Construct } from 'constructs'
import { configureAwsProvider, type AwsProviderSettings } from './aws-provider'
import type { StateBucket } from './config'
import { stateBackend } from './stack-paths'

/** What every stack of this project shares: the AWS account and region, and where state lives. */
export interface AwsStackSettings extends AwsProviderSettings {
  /** @default state in .terraform-state/ on this machine */
  readonly stateBucket?: StateBucket
}

/** A stack of this project: the AWS provider configured as settings say, state where they say. */
export abstract class AwsStack extends TerraformStack {
  constructor(scope: Construct, id: string, aws: AwsStackSettings) {
    super(scope, id)
    configureAwsProvider(this, aws)
    // The emulated playground keeps its state beside it, whatever a team's bucket.
    stateBackend(this, id, aws.localSqsEndpoint ? { region: aws.region } : aws)
  }
}
