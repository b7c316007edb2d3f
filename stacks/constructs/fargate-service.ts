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

/** Memory from `min` to `max` MiB in steps of `step`. */
const steps = (min: number, max: number, step: number) => ({ memories: Array.from({ length: (max - min) / step + 1 }, (_, i) => min + i * step), said: `from ${min} to ${max} MiB in steps of ${step}` })

/**
 * The task sizes Fargate runs on Linux: each CPU value (units, 1,024 to a vCPU) with the memory
 * it takes, in MiB, as the ECS API reference's RegisterTaskDefinition lists them. ECS refuses any
 * other pair only at deploy, after the stacks before it were applied.
 */
const FARGATE_SIZES: ReadonlyMap<number, { memories: number[]; said: string }> = new Map([
  [256, { memories: [512, 1024, 2048], said: 'one of 512, 1024 and 2048 MiB' }],
  [512, steps(1024, 4096, 1024)],
  [1024, steps(2048, 8192, 1024)],
  [2048, steps(4096, 16384, 1024)],
  [4096, steps(8192, 30720, 1024)],
  [8192, steps(16384, 61440, 4096)],
  [16384, steps(32768, 122880, 8192)],
])

/** Why Fargate would refuse a task of `cpu` units and `memory` MiB, or undefined if it runs one. */
function fargateSizeProblem(cpu: number, memory: number): string | undefined {
  const size = FARGATE_SIZES.get(cpu)
  if (!size) {
    const cpus = [...FARGATE_SIZES.keys()]
    return `cpu is one of ${cpus.slice(0, -1).join(', ')} and ${cpus.at(-1)} units, not ${cpu}`
  }
  return size.memories.includes(memory) ? undefined : `with ${cpu} CPU units, memory is ${size.said}, not ${memory}`
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
    const cpu = props.cpu ?? 256
    const memory = props.memory ?? 512
    const sizeProblem = fargateSizeProblem(cpu, memory)
    if (sizeProblem) throw new Error(`FargateService ${props.name}: ${sizeProblem}`)
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
      cpu: String(cpu),
      memory: String(memory),
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
