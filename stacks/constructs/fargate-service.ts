import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group'
import type { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster'
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service'
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition'
import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group'
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group'
import type { ITerraformDependable } from 'cdktf'
import { Construct } from 'constructs'

export interface FargateServiceProps {
  /** Service, task family and container name, e.g. taskoverflow-api. */
  readonly name: string
  readonly cluster: EcsCluster
  /** An immutable image reference (repository@sha256:...). */
  readonly image: string
  /** CPU units. @default 256 */
  readonly cpu?: number
  /** MiB. @default 512 */
  readonly memory?: number
  /** Plain settings; never secrets. */
  readonly environment: Readonly<Record<string, string>>
  /** Variable name to a Secrets Manager reference (ARN[:json-key::]), resolved by ECS at start. @default none */
  readonly secrets?: Readonly<Record<string, string>>
  readonly executionRoleArn: string
  readonly taskRoleArn: string
  readonly subnetIds: string[]
  readonly securityGroup: SecurityGroup
  readonly desiredCount: number
  readonly region: string
  /** Must match the image's platform. */
  readonly cpuArchitecture: 'ARM64' | 'X86_64'
  readonly logRetentionDays: number
  /** The port the container listens on. @default none */
  readonly containerPort?: number
  /** Registers the tasks with this target group; needs `containerPort`. @default none */
  readonly targetGroup?: LbTargetGroup
  /** Leave the task count to an autoscaler after creation. @default false */
  readonly autoscaled?: boolean
  /** Time between SIGTERM and SIGKILL, for work in flight to finish (at most 120). @default 30 */
  readonly stopTimeoutSeconds?: number
  /** Make `deploy` wait until the new tasks are healthy. @default false */
  readonly waitForSteadyState?: boolean
  /** Resources the service needs first, e.g. the load balancer's listener. @default none */
  readonly dependsOn?: ITerraformDependable[]
}

/** A Fargate task definition and its service, with logs in CloudWatch and rollback on failed deploys. */
export class FargateService extends Construct {
  readonly logGroup: CloudwatchLogGroup
  readonly taskDefinition: EcsTaskDefinition
  readonly service: EcsService

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id)
    if (props.targetGroup && props.containerPort === undefined) {
      throw new Error(`FargateService ${props.name}: targetGroup needs containerPort`)
    }
    const stopTimeout = props.stopTimeoutSeconds ?? 30
    if (stopTimeout < 2 || stopTimeout > 120) throw new Error(`FargateService ${props.name}: stopTimeoutSeconds must be from 2 to 120`)

    this.logGroup = new CloudwatchLogGroup(this, 'logs', { name: `/ecs/${props.name}`, retentionInDays: props.logRetentionDays })
    const byName = (values: Readonly<Record<string, string>>) => Object.keys(values).sort()
    const container = {
      name: props.name,
      image: props.image,
      essential: true,
      stopTimeout,
      // An init process as PID 1 passes signals on to the service and reaps what it leaves.
      linuxParameters: { initProcessEnabled: true },
      // Sorted, as ECS returns them, so plans show no change where there is none.
      environment: byName(props.environment).map((name) => ({ name, value: props.environment[name] })),
      secrets: byName(props.secrets ?? {}).map((name) => ({ name, valueFrom: props.secrets![name] })),
      portMappings: props.containerPort === undefined ? [] : [{ containerPort: props.containerPort, protocol: 'tcp' }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': this.logGroup.name, 'awslogs-region': props.region, 'awslogs-stream-prefix': props.name },
      },
    }
    this.taskDefinition = new EcsTaskDefinition(this, 'task', {
      family: props.name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(props.cpu ?? 256),
      memory: String(props.memory ?? 512),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: props.cpuArchitecture },
      executionRoleArn: props.executionRoleArn,
      taskRoleArn: props.taskRoleArn,
      containerDefinitions: JSON.stringify([container]),
    })
    this.service = new EcsService(this, 'service', {
      name: props.name,
      cluster: props.cluster.id,
      taskDefinition: this.taskDefinition.arn,
      launchType: 'FARGATE',
      desiredCount: props.desiredCount,
      // Tasks pull from ECR through a public IP, so no NAT gateway is needed.
      networkConfiguration: { subnets: props.subnetIds, securityGroups: [props.securityGroup.id], assignPublicIp: true },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      waitForSteadyState: props.waitForSteadyState ?? false,
      ...(props.targetGroup
        ? {
            loadBalancer: [{ targetGroupArn: props.targetGroup.arn, containerName: props.name, containerPort: props.containerPort! }],
            healthCheckGracePeriodSeconds: 30,
          }
        : {}),
      ...(props.autoscaled ? { lifecycle: { ignoreChanges: ['desired_count'] } } : {}),
      ...(props.dependsOn?.length ? { dependsOn: props.dependsOn } : {}),
    })
  }
}
