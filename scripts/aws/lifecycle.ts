import { ECSClient } from '@aws-sdk/client-ecs'
import { RDSClient } from '@aws-sdk/client-rds'
import { S3Client } from '@aws-sdk/client-s3'
import { SQSClient } from '@aws-sdk/client-sqs'
import type { DeployConfig } from '../../stacks/config.js'
import { APP_STACKS, CORE_STACK, SERVICES_STACK } from '../../stacks/stack-names.js'
import type { SynthesizedApp, SynthesisExtras } from './app-synth.js'
import { clientCredentials, type CredentialsSource } from '../lib/aws-credentials.js'
import { describeDatabase, type DatabaseInAws } from './database-snapshot.js'
import { managed, outputOf, readStackState, type StackState } from './stack-state.js'

/** The AWS APIs pause, resume, deploy, destroy and status call between (and beside) Terraform's runs. */
export interface AwsClients {
  readonly rds: RDSClient
  readonly ecs: ECSClient
  readonly sqs: SQSClient
  readonly s3: S3Client
}

export function awsClients(config: DeployConfig, credentials: CredentialsSource): AwsClients & { destroy(): void } {
  const settings = { region: config.region, ...clientCredentials(credentials) }
  const clients = { rds: new RDSClient(settings), ecs: new ECSClient(settings), sqs: new SQSClient(settings), s3: new S3Client(settings) }
  return { ...clients, destroy: () => Object.values(clients).forEach((client) => client.destroy()) }
}

/** Runs `terraform init` and the change in each stack of a synthesized app: runStacks, or a test's stand-in. */
export type TerraformRunner = (
  verb: 'apply' | 'destroy',
  stacks: readonly string[],
  app: SynthesizedApp,
  options: { readonly command: string; readonly before?: Readonly<Record<string, readonly string[][]>> },
) => Promise<number>

/** Everything a lifecycle command works with, so a test can give it stand-ins for AWS and Terraform. */
export interface Lifecycle {
  readonly config: DeployConfig
  readonly aws: AwsClients
  readonly terraform: TerraformRunner
  readonly synthesize: (config: DeployConfig, extras?: SynthesisExtras) => SynthesizedApp
  readonly log: (line: string) => void
  /** What the user typed, for the messages. */
  readonly command: string
  /** Where .terraform-state/ is, without a team's bucket. */
  readonly root?: string
  /** How often and how the waits poll; a test makes them instant. */
  readonly waits?: { readonly pollMs?: number; readonly sleep?: (ms: number) => Promise<void>; readonly now?: () => number }
}

/** The deployment as Terraform's state and AWS describe it, read before a command changes anything. */
export interface Deployment {
  readonly states: Readonly<Record<string, StackState | undefined>>
  readonly database: DatabaseInAws
  /** The stacks whose state holds resources. */
  readonly deployed: readonly string[]
  /** Core's state says the database is kept as a snapshot (its pause record), not an instance. */
  readonly databasePaused: boolean
  /** The services' state holds their load balancer and services. */
  readonly servicesRunning: boolean
  readonly apiUrl?: string
  readonly apiUrlBeforePause?: string
  readonly queueUrl?: string
  /** `aws_db_instance.NAME` when Terraform marked the instance tainted (a create cut short). */
  readonly taintedDatabase?: string
}

export async function readDeployment(ctx: Pick<Lifecycle, 'config' | 'aws' | 'root'>): Promise<Deployment> {
  const entries = await Promise.all(APP_STACKS.map(async (stack) => [stack, await readStackState(ctx.config, stack, ctx.aws.s3, ctx.root)] as const))
  const states = Object.fromEntries(entries)
  const core = states[CORE_STACK]
  const services = states[SERVICES_STACK]
  const tainted = (core?.resources ?? []).find((resource) => resource.mode === 'managed' && resource.type === 'aws_db_instance' && resource.instances.some((instance) => instance.status === 'tainted'))
  return {
    states,
    database: await describeDatabase(ctx.aws.rds, ctx.config.name),
    deployed: entries.filter(([, state]) => (state?.resources.length ?? 0) > 0).map(([stack]) => stack),
    databasePaused: managed(core, 'terraform_data').some(({ attributes }) => attributes.input?.value?.db_snapshot_identifier !== undefined) && managed(core, 'aws_db_instance').length === 0,
    servicesRunning: managed(services, 'aws_ecs_service').length > 0 || managed(services, 'aws_lb').length > 0,
    apiUrl: outputOf(services, 'api_url'),
    apiUrlBeforePause: outputOf(services, 'api_url_before_pause'),
    queueUrl: outputOf(core, 'ical_queue_url'),
    taintedDatabase: tainted && `aws_db_instance.${tainted.name}`,
  }
}
