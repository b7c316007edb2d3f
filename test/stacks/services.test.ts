import { SQSClient } from '@aws-sdk/client-sqs'
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target/index.js'
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster/index.js'
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js'
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service/index.js'
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition/index.js'
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js'
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js'
import { describe, expect, it } from '@jest/globals'
import { loadApiConfig } from '../../containers/api/src/config.js'
import { loadWorkerConfig } from '../../containers/worker/src/config.js'
import { createWorker } from '../../containers/worker/src/create-worker.js'
import { jobTiming } from '../../containers/shared/src/job-timing.js'
import { calendarStorageMb, jobTimingSettings } from '../../containers/shared/src/service-env.js'
import { createLogger } from '@taskoverflow/shared'
import { Testing } from 'cdktf'
import { readDeployConfig } from '../../stacks/config.js'
import { synthesizeStacks } from '../../stacks/synthesize.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { containers, json, resources, synthAll } from './synth.js'

const { 'taskoverflow-services': services } = synthAll()
const { 'taskoverflow-services': ownRoles } = synthAll({ TASKOVERFLOW_IAM_MODE: 'create-roles' })

const policies = Object.values(json(ownRoles).data.aws_iam_policy_document) as any[]
/** The policy document of a role of create-roles mode: `api`, `worker`. */
const policyOf = (role: string) => policies.find((p) => p['//'].metadata.path === `taskoverflow-services/roles/${role}-policy`)!
const fromCore = (output: string) => new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-taskoverflow-core\\.outputs\\.cross-stack-output-${output}\\}`)
const envOf = (container: any) => Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, e.value]))

/** Terraform interpolations replaced by values of the shape they will have once applied. */
function applied(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      k,
      v
        .replace(/\$\{[^}]*url\}/, 'https://sqs.us-east-1.amazonaws.com/123456789012/ical')
        .replace(/\$\{[^}]*address\}/, 'taskoverflow.abc.us-east-1.rds.amazonaws.com')
        .replace(/\$\{[^}]*secret_arn\}/, 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc-AbCdEf'),
    ]),
  )
}

describe('taskoverflow-services', () => {
  it('runs both tasks as LabRole in Learner Lab mode, and nothing in the stack creates a role, which the Lab forbids', () => {
    expect(Object.keys(resources(services, 'aws_iam_role'))).toEqual([])
    const [labRole] = Object.keys(json(services).data.aws_iam_role)
    for (const family of ['taskoverflow-api', 'taskoverflow-worker']) {
      expect(services).toHaveResourceWithProperties(EcsTaskDefinition, {
        family,
        execution_role_arn: `\${data.aws_iam_role.${labRole}.arn}`,
        task_role_arn: `\${data.aws_iam_role.${labRole}.arn}`,
      })
    }
  })

  it('in create-roles mode, runs each task as its own role, started by the execution role', () => {
    const role = (name: string) => `\${aws_iam_role.${Object.entries(resources(ownRoles, 'aws_iam_role')).find(([, r]) => r.name === `taskoverflow-${name}`)![0]}.arn}`
    for (const service of ['api', 'worker']) {
      expect(ownRoles).toHaveResourceWithProperties(EcsTaskDefinition, { family: `taskoverflow-${service}`, execution_role_arn: role('execution'), task_role_arn: role(service) })
    }
  })

  it("gives the roles core's job queue, its dead-letter queue and the database's secret", () => {
    const resourcesOf = (role: string) => policyOf(role).statement.flatMap((statement: any) => statement.resources)
    const jobQueue = expect.stringMatching(fromCore('aws_sqs_queueical-queue_\\w+arn'))
    const deadLetterQueue = expect.stringMatching(fromCore('aws_sqs_queueical-queue_dead-letter_\\w+arn'))
    const secret = expect.stringMatching(fromCore('aws_db_instancedatabase_instance_\\w+master_user_secret0secret_arn'))
    expect({ api: resourcesOf('api'), worker: resourcesOf('worker') }).toEqual({ api: [jobQueue, deadLetterQueue, secret], worker: [jobQueue, secret] })
  })

  it('wires the queue URL, the database connection string and the region into both tasks', () => {
    for (const family of ['taskoverflow-api', 'taskoverflow-worker']) {
      const [container] = containers(services, family)
      const env = envOf(container)
      expect(env.ICAL_QUEUE_URL).toMatch(fromCore('aws_sqs_queueical-queue_\\w+url'))
      expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/taskoverflow@\$\{data\.terraform_remote_state\.cross-stack-reference-input-taskoverflow-core\.outputs\.[^}]+address\}:5432\/todo\?sslmode=verify-full$/)
      expect(env.AWS_REGION).toBe('us-east-1')
      expect(container.secrets).toEqual([])
      expect(env.DATABASE_PASSWORD_SECRET_ARN).toMatch(fromCore('aws_db_instancedatabase_instance_\\w+master_user_secret0secret_arn'))
      expect(env.DATABASE_POOL_SIZE).toBe('10')
      expect(container.image).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-taskoverflow-core\.[^}]+repository_url\}@\$\{data\.terraform_remote_state\.cross-stack-reference-input-taskoverflow-images\.[^}]+sha256_digest\}$/)
    }
  })

  it("tells the API, and only the API, the dead-letter queue's URL, for its count in the pipeline view", () => {
    expect(envOf(containers(services, 'taskoverflow-api')[0]).ICAL_DEAD_LETTER_QUEUE_URL).toMatch(fromCore('aws_sqs_queueical-queue_dead-letter_\\w+url'))
    expect(envOf(containers(services, 'taskoverflow-worker')[0]).ICAL_DEAD_LETTER_QUEUE_URL).toBeUndefined()
  })

  it('gives each service every variable its own configuration loader requires', () => {
    const api = loadApiConfig(applied(envOf(containers(services, 'taskoverflow-api')[0])))
    expect(api).toMatchObject({ port: 6400, trustProxy: true, sqs: { region: 'us-east-1', endpoint: undefined } })
    const worker = loadWorkerConfig(applied(envOf(containers(services, 'taskoverflow-worker')[0])))
    expect(worker).toMatchObject({ visibilityTimeoutSeconds: 60, delaySeconds: 0 })
    // Both run the reconciler, with one deadline: neither fails a job the other would still let run.
    expect(api.reconciler.deadlineSeconds).toBe(900)
    expect(worker.reconciler).toEqual(api.reconciler)
  })

  it("puts the API behind the load balancer, which sends to the API's port 6400, checks the practical's health path, and lets the tasks in", () => {
    const [targetGroup] = Object.keys(resources(services, 'aws_lb_target_group'))
    expect(services).toHaveResourceWithProperties(LbTargetGroup, { port: 6400, health_check: expect.objectContaining({ path: '/api/v1/health' }) })
    expect(services).toHaveResourceWithProperties(EcsService, {
      name: 'taskoverflow-api',
      load_balancer: [{ target_group_arn: `\${aws_lb_target_group.${targetGroup}.arn}`, container_name: 'taskoverflow-api', container_port: 6400 }],
    })
    expect(services).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { security_group_id: expect.stringMatching(fromCore('aws_security_groupnetwork_tasks_\\w+id')), from_port: 6400, to_port: 6400 })
    expect(json(services).output.api_url.value).toMatch(/^http:\/\/\$\{aws_lb\.[\w-]+\.dns_name\}$/)
  })

  it("scales the worker service of the cluster on the job queue's backlog, between the settings' minimum and maximum, leaving the count to the autoscaler", () => {
    const custom = synthAll({ TASKOVERFLOW_WORKER_MIN_TASKS: '2', TASKOVERFLOW_WORKER_MAX_TASKS: '6' })['taskoverflow-services']
    const [cluster] = Object.keys(resources(custom, 'aws_ecs_cluster'))
    const [worker] = Object.entries(resources(custom, 'aws_ecs_service')).find(([, service]) => service.name === 'taskoverflow-worker')!
    expect(custom).toHaveResourceWithProperties(AppautoscalingTarget, { min_capacity: 2, max_capacity: 6, resource_id: `service/\${aws_ecs_cluster.${cluster}.name}/\${aws_ecs_service.${worker}.name}` })
    expect(custom).toHaveResourceWithProperties(EcsService, { name: 'taskoverflow-worker', desired_count: 2, lifecycle: { ignore_changes: ['desired_count'] } })
    const alarms = Object.values(resources(custom, 'aws_cloudwatch_metric_alarm'))
    expect(alarms).toHaveLength(2)
    for (const alarm of alarms) expect(alarm.dimensions.QueueName).toMatch(fromCore('aws_sqs_queueical-queue_\\w+name'))
  })

  it('puts the load balancer and both services in the same subnets, one per zone core chose', () => {
    const subnets = (json(services).resource.aws_lb as Record<string, any>)
    const [loadBalancer] = Object.values(subnets)
    expect(loadBalancer.subnets).toHaveLength(2)
    loadBalancer.subnets.forEach((subnet: string, i: number) => expect(subnet).toMatch(fromCore(`dataaws_subnetnetwork_zone-${i}-subnet_\\w+id`)))
    for (const service of Object.values<any>(resources(services, 'aws_ecs_service'))) expect(service.network_configuration.subnets).toEqual(loadBalancer.subnets)
  })

  it('when paused, keeps only the cluster: no load balancer and its addresses, no task, no alarm, nothing that bills by the hour', () => {
    const paused = synthAll({ TASKOVERFLOW_PAUSED: 'true', TASKOVERFLOW_API_TASKS: '2' })['taskoverflow-services']
    expect(Object.keys(json(paused).resource)).toEqual(['aws_ecs_cluster'])
    expect(paused).toHaveResourceWithProperties(EcsCluster, { name: 'taskoverflow' })
    expect(json(paused).output).toBeUndefined()
    expect(synthAll({ TASKOVERFLOW_API_TASKS: '2' })['taskoverflow-services']).toHaveResourceWithProperties(EcsService, { name: 'taskoverflow-api', desired_count: 2 })
  })

  it('when paused, records the URL the API had, so resume can tell whether it changed', () => {
    const config = readDeployConfig({ TASKOVERFLOW_ARCH: 'amd64', TASKOVERFLOW_PAUSED: 'true' })
    const paused = synthesizeStacks(config, { projectRoot: ROOT, apiUrlBeforePause: 'http://taskoverflow-1.us-east-1.elb.amazonaws.com' }, Testing.app())['taskoverflow-services']!
    expect(json(paused).output.api_url_before_pause.value).toBe('http://taskoverflow-1.us-east-1.elb.amazonaws.com')
    const running = { ...config, paused: false }
    expect(() => synthesizeStacks(running, { projectRoot: ROOT, apiUrlBeforePause: 'http://old' }, Testing.app())).toThrow('apiUrlBeforePause is for a paused stack')
  })

  it('keeps logs in CloudWatch for the configured time', () => {
    expect(services).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/ecs/taskoverflow-api', retention_in_days: 7 })
    const longer = synthAll({ TASKOVERFLOW_LOG_RETENTION_DAYS: '30' })['taskoverflow-services']
    expect(longer).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/ecs/taskoverflow-worker', retention_in_days: 30 })
  })
})

describe('settings that would deploy but not work', () => {
  it('with a minimum of 0, lets the scaling stop every worker', () => {
    // The scaling then starts one for the first job waiting: QueueBacklogScaling's own tests.
    const scaled = synthAll({ TASKOVERFLOW_WORKER_MIN_TASKS: '0' })['taskoverflow-services']
    expect(scaled).toHaveResourceWithProperties(AppautoscalingTarget, { min_capacity: 0 })
    expect(scaled).toHaveResourceWithProperties(EcsService, { name: 'taskoverflow-worker', desired_count: 0 })
  })

  it.each(['0', '50'])('with a delay of %s s, gives both services the one job timing the queue was made for', (delay) => {
    const stacks = synthAll({ TASKOVERFLOW_WORKER_DELAY_SECONDS: delay })
    const timing = jobTiming({ delaySeconds: Number(delay) })
    const [queue] = Object.values(resources(stacks['taskoverflow-core'], 'aws_sqs_queue')).filter((q) => q.redrive_policy)
    expect(queue).toMatchObject({ visibility_timeout_seconds: timing.visibilityTimeoutSeconds, receive_wait_time_seconds: timing.longPollSeconds })
    expect(queue.redrive_policy).toContain(`"maxReceiveCount" = ${timing.maxReceives}`)
    for (const family of ['taskoverflow-api', 'taskoverflow-worker']) {
      const env = envOf(containers(stacks['taskoverflow-services'], family)[0])
      expect([family, env]).toEqual([family, expect.objectContaining(Object.fromEntries(Object.entries(jobTimingSettings(timing)).map(([name, value]) => [name, String(value)])))])
    }
    const worker = loadWorkerConfig(applied(envOf(containers(stacks['taskoverflow-services'], 'taskoverflow-worker')[0])))
    expect(worker).toMatchObject({ delaySeconds: Number(delay), visibilityTimeoutSeconds: timing.visibilityTimeoutSeconds, maxReceives: timing.maxReceives, reconciler: { deadlineSeconds: timing.deadlineSeconds } })
  })

  it('with a minimum of 0 workers, gives both services a deadline that also covers the first worker starting after SQS metrics resume', () => {
    const scaled = synthAll({ TASKOVERFLOW_WORKER_MIN_TASKS: '0' })['taskoverflow-services']
    const api = loadApiConfig(applied(envOf(containers(scaled, 'taskoverflow-api')[0])))
    const worker = loadWorkerConfig(applied(envOf(containers(scaled, 'taskoverflow-worker')[0])))
    expect(worker.reconciler.deadlineSeconds).toBe(api.reconciler.deadlineSeconds)
    // The 15 minutes every job gets, the 15 minutes SQS may take to report the first job after
    // six idle hours, and 5 minutes for the alarm, the scaling and the task to start.
    expect(api.reconciler.deadlineSeconds).toBe(900 + 900 + 300)
  })

  it("bounds the calendars the worker keeps by the database's storage, leaving room for the rest", () => {
    const [database] = Object.values(resources(synthAll()['taskoverflow-core'], 'aws_db_instance'))
    const bound = Number(envOf(containers(services, 'taskoverflow-worker')[0]).CALENDAR_STORAGE_MB)
    expect(bound).toBe(calendarStorageMb(database.allocated_storage))
    expect(bound * 1_048_576).toBeLessThanOrEqual(0.5 * database.allocated_storage * 2 ** 30)
    expect(envOf(containers(services, 'taskoverflow-api')[0]).CALENDAR_STORAGE_MB).toBeUndefined()
  })

  it('gives each task its share of the connections', () => {
    const custom = synthAll({ TASKOVERFLOW_API_TASKS: '5', TASKOVERFLOW_WORKER_MAX_TASKS: '10' })['taskoverflow-services']
    expect(envOf(containers(custom, 'taskoverflow-worker')[0]).DATABASE_POOL_SIZE).toBe('5')
    expect(envOf(containers(custom, 'taskoverflow-api')[0]).DATABASE_POOL_SIZE).toBe('5')
  })

  it.each(['0', '50', '85'])('with a delay of %s s, lets the stopping worker drain its long poll and batch, and exit, before ECS kills it', (delay) => {
    const [container] = containers(synthAll({ TASKOVERFLOW_WORKER_DELAY_SECONDS: delay })['taskoverflow-services'], 'taskoverflow-worker')
    // The worker as its own entry point composes it from the task's environment.
    const config = loadWorkerConfig(applied(envOf(container)))
    const worker = createWorker(config, { pool: { query: async () => ({ rows: [] }) } as never, sqs: new SQSClient({ region: 'us-east-1' }), logger: createLogger('test', 'silent') })
    const drain = worker.consumer.drainSeconds
    expect(drain).toBeGreaterThanOrEqual(20 + Number(delay)) // a whole long poll and the delay
    expect(container.stopTimeout).toBe(drain + 5) // then 5 s to close the pool and exit
    expect(container.stopTimeout).toBeLessThanOrEqual(120) // Fargate's limit
  })

  it('in create-roles mode, starts no service before its roles can pull the image and read the secret', () => {
    const ownRoles = json(synthAll({ TASKOVERFLOW_IAM_MODE: 'create-roles' })['taskoverflow-services'])
    const grants = [...Object.keys(ownRoles.resource.aws_iam_role_policy).map((name) => `aws_iam_role_policy.${name}`), ...Object.keys(ownRoles.resource.aws_iam_role_policy_attachment).map((name) => `aws_iam_role_policy_attachment.${name}`)]
    expect(grants).toHaveLength(3)
    for (const service of Object.values<any>(ownRoles.resource.aws_ecs_service)) expect(service.depends_on).toEqual(expect.arrayContaining(grants))
  })
})
