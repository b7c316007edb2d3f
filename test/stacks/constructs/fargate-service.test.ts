import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js'
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster/index.js'
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service/index.js'
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition/index.js'
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js'
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js'
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js'
import { describe, expect, it } from '@jest/globals'
import { FargateService, type FargateServiceProps } from '../../../stacks/constructs/fargate-service.js'
import { address, ref, resources, synthConstruct } from './synth-construct.js'

function synthService(props: Partial<FargateServiceProps> = {}, extras: { targetGroup?: boolean; dependency?: boolean } = {}) {
  return synthConstruct((scope) => {
    const cluster = new EcsCluster(scope, 'cluster', { name: 'taskoverflow' })
    const tasks = new SecurityGroup(scope, 'tasks', { name: 'tasks' })
    const targetGroup = extras.targetGroup ? new LbTargetGroup(scope, 'targets', { name: 'targets' }) : undefined
    const dependency = extras.dependency ? new SqsQueue(scope, 'first', { name: 'first' }) : undefined
    const service = new FargateService(scope, 'api', {
      name: 'taskoverflow-api',
      cluster,
      image: 'repository@sha256:abc',
      environment: { PORT: '6400', AWS_REGION: 'us-east-1' },
      executionRoleArn: 'arn:aws:iam::123456789012:role/execution',
      taskRoleArn: 'arn:aws:iam::123456789012:role/api',
      subnetIds: ['subnet-a', 'subnet-b'],
      securityGroup: tasks,
      desiredCount: 1,
      region: 'us-east-1',
      cpuArchitecture: 'ARM64',
      logRetentionDays: 7,
      ...(targetGroup ? { targetGroup } : {}),
      ...(dependency ? { dependsOn: [dependency] } : {}),
      ...props,
    })
    return { cluster, tasks, targetGroup, dependency, service }
  })
}
const containerOf = (synthesized: string) => JSON.parse(Object.values(resources(synthesized, 'aws_ecs_task_definition'))[0].container_definitions)[0]
const serviceOf = (synthesized: string) => Object.values(resources(synthesized, 'aws_ecs_service'))[0]

describe('FargateService', () => {
  const { synthesized, made } = synthService()

  it('defines a Fargate task of 0.25 vCPU and 512 MiB by default, on the architecture and with the roles given', () => {
    expect(synthesized).toHaveResourceWithProperties(EcsTaskDefinition, {
      family: 'taskoverflow-api',
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: '256',
      memory: '512',
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'ARM64' },
      execution_role_arn: 'arn:aws:iam::123456789012:role/execution',
      task_role_arn: 'arn:aws:iam::123456789012:role/api',
    })
    expect(synthService({ cpu: 512, memory: 1024 }).synthesized).toHaveResourceWithProperties(EcsTaskDefinition, { cpu: '512', memory: '1024' })
  })

  it('runs one essential container under an init process, with its settings sorted and its secrets read by ECS', () => {
    expect(containerOf(synthesized)).toMatchObject({
      name: 'taskoverflow-api',
      image: 'repository@sha256:abc',
      essential: true,
      linuxParameters: { initProcessEnabled: true },
      environment: [{ name: 'AWS_REGION', value: 'us-east-1' }, { name: 'PORT', value: '6400' }],
      secrets: [],
      portMappings: [],
    })
    const secrets = { B_KEY: 'arn:b', A_KEY: 'arn:a:key::' }
    expect(containerOf(synthService({ secrets }).synthesized).secrets).toEqual([{ name: 'A_KEY', valueFrom: 'arn:a:key::' }, { name: 'B_KEY', valueFrom: 'arn:b' }])
  })

  it('gives work in flight 30 s between SIGTERM and SIGKILL by default, or as long as it is told, up to Fargate\'s 120', () => {
    expect(containerOf(synthesized).stopTimeout).toBe(30)
    for (const stopTimeoutSeconds of [2, 120]) expect(containerOf(synthService({ stopTimeoutSeconds }).synthesized).stopTimeout).toBe(stopTimeoutSeconds)
  })

  it('keeps its logs in CloudWatch for as long as it is told, under its own name', () => {
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/ecs/taskoverflow-api', retention_in_days: 7 })
    expect(containerOf(synthesized).logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': ref(made.service.logGroup, 'name'), 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'taskoverflow-api' },
    })
    expect(synthService({ logRetentionDays: 30 }).synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 30 })
  })

  it('runs the tasks in the cluster, subnets and group given, with public IPs instead of a NAT gateway, rolling back a failed deploy', () => {
    expect(synthesized).toHaveResourceWithProperties(EcsService, {
      name: 'taskoverflow-api',
      cluster: ref(made.cluster, 'id'),
      task_definition: ref(made.service.taskDefinition, 'arn'),
      launch_type: 'FARGATE',
      desired_count: 1,
      network_configuration: { subnets: ['subnet-a', 'subnet-b'], security_groups: [ref(made.tasks, 'id')], assign_public_ip: true },
      deployment_circuit_breaker: { enable: true, rollback: true },
      propagate_tags: 'SERVICE',
      enable_ecs_managed_tags: true,
      wait_for_steady_state: false,
    })
    for (const absent of ['load_balancer', 'health_check_grace_period_seconds', 'lifecycle', 'depends_on']) expect(serviceOf(synthesized)).not.toHaveProperty(absent)
    expect(synthService({ desiredCount: 3 }).synthesized).toHaveResourceWithProperties(EcsService, { desired_count: 3 })
  })

  it('registers its tasks with a target group on their port, and gives them 30 s to become healthy', () => {
    const { synthesized: behind, made: parts } = synthService({ containerPort: 6400 }, { targetGroup: true })
    expect(containerOf(behind).portMappings).toEqual([{ containerPort: 6400, protocol: 'tcp' }])
    expect(behind).toHaveResourceWithProperties(EcsService, {
      load_balancer: [{ target_group_arn: ref(parts.targetGroup!, 'arn'), container_name: 'taskoverflow-api', container_port: 6400 }],
      health_check_grace_period_seconds: 30,
    })
  })

  it('leaves its task count to an autoscaler, makes deploy wait for healthy tasks, and starts after what it depends on, when told to', () => {
    expect(synthService({ autoscaled: true }).synthesized).toHaveResourceWithProperties(EcsService, { lifecycle: { ignore_changes: ['desired_count'] } })
    expect(synthService({ waitForSteadyState: true }).synthesized).toHaveResourceWithProperties(EcsService, { wait_for_steady_state: true })
    const { synthesized: after, made: parts } = synthService({}, { dependency: true })
    expect(serviceOf(after).depends_on).toEqual([address(parts.dependency!)])
  })

  it('refuses a target group without a container port to send its traffic to', () => {
    expect(() => synthService({}, { targetGroup: true })).toThrow('FargateService taskoverflow-api: targetGroup needs containerPort')
  })

  // Every pair ECS's RegisterTaskDefinition lists for Fargate on Linux, at its edges.
  it.each([
    [256, 512],
    [256, 2048],
    [512, 1024],
    [512, 4096],
    [1024, 8192],
    [2048, 4096],
    [2048, 16384],
    [4096, 30720],
    [8192, 16384],
    [8192, 61440],
    [16384, 122880],
  ])('accepts %i CPU units with %i MiB, a size Fargate runs', (cpu, memory) => {
    expect(synthService({ cpu, memory }).synthesized).toHaveResourceWithProperties(EcsTaskDefinition, { cpu: String(cpu), memory: String(memory) })
  })

  // ECS refuses these only at deploy: "No Fargate configuration exists for given values".
  it.each([
    [256, 1536, 'with 256 CPU units, memory is one of 512, 1024 and 2048 MiB, not 1536'],
    [256, 4096, 'with 256 CPU units, memory is one of 512, 1024 and 2048 MiB, not 4096'],
    [512, 512, 'with 512 CPU units, memory is from 1024 to 4096 MiB in steps of 1024, not 512'],
    [1024, 2560, 'with 1024 CPU units, memory is from 2048 to 8192 MiB in steps of 1024, not 2560'],
    [4096, 32768, 'with 4096 CPU units, memory is from 8192 to 30720 MiB in steps of 1024, not 32768'],
    [8192, 17408, 'with 8192 CPU units, memory is from 16384 to 61440 MiB in steps of 4096, not 17408'],
    [300, 1024, 'cpu is one of 256, 512, 1024, 2048, 4096, 8192 and 16384 units, not 300'],
  ])('refuses %i CPU units with %i MiB, a size Fargate does not run', (cpu, memory, message) => {
    expect(() => synthService({ cpu, memory })).toThrow(`FargateService taskoverflow-api: ${message}`)
  })

  it.each([1, 121])('refuses a stop timeout of %i s, outside the 2 to 120 Fargate allows', (stopTimeoutSeconds) => {
    expect(() => synthService({ stopTimeoutSeconds })).toThrow('FargateService taskoverflow-api: stopTimeoutSeconds must be from 2 to 120')
  })
})
