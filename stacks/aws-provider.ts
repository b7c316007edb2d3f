import { AwsProvider } from '@cdktf/provider-aws/lib/provider'
import type { Construct } from 'constructs'

export interface AwsProviderSettings {
  readonly region: string
  /**
   * The practical's `credentials` file (Learner Lab format), as a path relative to the stack's
   * directory under cdktf.out, so cdktf and plain `terraform -chdir=...` both find it. When
   * unset, the standard AWS chain applies (environment, ~/.aws, SSO, instance roles).
   */
  readonly credentialsFile?: string
  /** Local emulation only: see DeployConfig.localSqsEndpoint. */
  readonly localSqsEndpoint?: string
  /** Tags put on every resource that takes tags. */
  readonly tags?: Record<string, string>
}

export function configureAwsProvider(scope: Construct, settings: AwsProviderSettings): AwsProvider {
  const tags = settings.tags ? { defaultTags: [{ tags: settings.tags }] } : {}
  if (settings.localSqsEndpoint) {
    return new AwsProvider(scope, 'aws', {
      region: settings.region,
      accessKey: 'local-emulation',
      secretKey: 'local-emulation',
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: 'true',
      skipRegionValidation: true,
      endpoints: [{ sqs: settings.localSqsEndpoint, sts: settings.localSqsEndpoint }],
      ...tags,
    })
  }
  return new AwsProvider(scope, 'aws', {
    region: settings.region,
    ...(settings.credentialsFile ? { sharedCredentialsFiles: [settings.credentialsFile], profile: 'default' } : {}),
    ...tags,
  })
}
