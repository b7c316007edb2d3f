import { TerraformStack } from 'cdktf'
import type { Construct } from 'constructs'
import { configureAwsProvider, type AwsProviderSettings } from './aws-provider'
import { stateBackend } from './stack-paths'

/** A stack of this project: the AWS provider configured as settings say, state in .terraform-state/. */
export abstract class AwsStack extends TerraformStack {
  constructor(scope: Construct, id: string, aws: AwsProviderSettings) {
    super(scope, id)
    configureAwsProvider(this, aws)
    stateBackend(this, id)
  }
}
